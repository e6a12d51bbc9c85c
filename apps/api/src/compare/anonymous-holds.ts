/**
 * Credits held by anonymous runs that have not been charged yet, per IP and per fingerprint, so that
 * concurrent anonymous runs cannot spend the same daily pool twice. In memory: the anonymous pool is
 * small and per process; registered users' holds live in the database (reserveCredits).
 */
export class AnonymousHolds {
  private held = new Map<string, number>();

  private keys(visitor: { ip: string; fingerprint: string | null }): string[] {
    return visitor.fingerprint ? [`ip:${visitor.ip}`, `fp:${visitor.fingerprint}`] : [`ip:${visitor.ip}`];
  }

  heldFor(visitor: { ip: string; fingerprint: string | null }): number {
    return Math.max(0, ...this.keys(visitor).map((key) => this.held.get(key) ?? 0));
  }

  /** Hold `credits` when `remaining` (before holds) still covers them; returns a release function or null. */
  tryHold(visitor: { ip: string; fingerprint: string | null }, credits: number, remaining: number) {
    if (remaining - this.heldFor(visitor) < credits) return null;
    const keys = this.keys(visitor);
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + credits);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const left = (this.held.get(key) ?? 0) - credits;
        if (left > 0) this.held.set(key, left);
        else this.held.delete(key);
      }
    };
  }
}
