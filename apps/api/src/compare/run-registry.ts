import type { ComparisonRun } from './comparison-run';

/** Runs in flight in this process, so `compare.stop` can reach them by id. */
export class RunRegistry {
  private runs = new Map<string, ComparisonRun>();

  add(run: ComparisonRun): void {
    this.runs.set(run.id, run);
    run.finished.catch(() => undefined).finally(() => this.runs.delete(run.id));
  }

  /** The run, only when it belongs to `ownerKey`: nobody stops someone else's run. */
  find(runId: string, ownerKey: string): ComparisonRun | undefined {
    const run = this.runs.get(runId);
    return run && run.ownerKey === ownerKey ? run : undefined;
  }

  /** Stop every run and wait until each has saved what it streamed (graceful shutdown). */
  async stopAll(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.stop();
    await Promise.allSettled(runs.map((run) => run.finished));
  }
}
