/**
 * Work done after the answer was sent (so how long the answer takes says nothing about the work, e.g.
 * whether an email is registered). Failures are logged, never thrown at a caller who has already been
 * answered; `drain()` waits for what is in flight (shutdown, tests).
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly log: (error: unknown, message: string) => void = (error, message) =>
      console.error(message, error),
  ) {}

  run(what: string, work: () => Promise<void>): void {
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.log(error, `${what} failed`))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
