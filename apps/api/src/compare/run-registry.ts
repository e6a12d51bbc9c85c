import { timingSafeEqual } from 'node:crypto';
import type { User } from '@compareintel/db';
import type { ComparisonRun } from './comparison-run';

/** Who may stop a run: its signed-in owner, or the visitor holding the run's secret (not just the IP). */
export function ownerKeyOf(
  actor: { user: Pick<User, 'id'> | null },
  runSecret: string | null,
): string | null {
  if (actor.user) return `user:${actor.user.id}`;
  return runSecret ? `visitor:${runSecret}` : null;
}

/** Compares owner keys in constant time (a visitor's key carries a secret). */
export function sameOwner(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Runs in flight in this process: stop requests reach them by id (after the owner was checked on the run's log). */
export class RunRegistry {
  private runs = new Map<string, ComparisonRun>();

  add(run: ComparisonRun): void {
    this.runs.set(run.id, run);
    run.finished.catch(() => undefined).finally(() => this.runs.delete(run.id));
  }

  /** The run with this id, if this process runs it (callers check the owner first). */
  get(runId: string): ComparisonRun | undefined {
    return this.runs.get(runId);
  }

  get size(): number {
    return this.runs.size;
  }

  /**
   * Graceful shutdown: let the runs in flight finish for up to `graceMs`, then stop the rest; resolves
   * once every run has saved what it streamed and been settled.
   */
  async drain(graceMs: number): Promise<void> {
    const runs = [...this.runs.values()];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled(runs.map((run) => run.finished)), grace]);
    clearTimeout(timer);
    await this.stopAll();
  }

  /** The ids of the runs in flight here (their holds are live, not abandoned). */
  ids(): string[] {
    return [...this.runs.keys()];
  }

  /** Stop every run and wait until each has saved what it streamed (graceful shutdown). */
  async stopAll(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.stop();
    await Promise.allSettled(runs.map((run) => run.finished));
  }
}
