import { randomUUID } from 'node:crypto';
import { JOB_NAMES, type TJobName, ZJobName } from '@compareintel/shared';
import { UniqueViolationError } from 'objection';
import type { AppServices } from '../context';
import { foldUsageLogs } from './fold-usage-logs';
import { cleanUp, resetIdlePools } from './maintenance';

export { JOB_NAMES };
export type JobName = TJobName;

export function isJobName(value: string): value is JobName {
  return ZJobName.safeParse(value).success;
}

type JobServices = Pick<AppServices, 'db' | 'config' | 'models' | 'runs' | 'runEvents' | 'instance' | 'now'>;
export type JobCounts = Record<string, number>;

interface JobDefinition {
  description: string;
  /** How often the API runs it unless JOB_INTERVALS says otherwise. */
  defaultIntervalSeconds: number;
  run(services: JobServices, options: { dryRun: boolean }): Promise<{ counts: JobCounts; lines?: string[] }>;
}

export const JOBS: Readonly<Record<JobName, JobDefinition>> = {
  retention: {
    description:
      'Fold usage logs older than RETENTION_DAYS into monthly aggregates (whole months), then delete them',
    defaultIntervalSeconds: 86_400,
    async run(services, { dryRun }) {
      const result = await foldUsageLogs(
        { db: services.db, now: services.now(), retentionDays: services.config.RETENTION_DAYS },
        { dryRun },
      );
      const lines = result.months.map(
        (m) =>
          `${m.year}-${String(m.month).padStart(2, '0')}: ${m.comparisons} comparisons, ${m.credits} credits`,
      );
      return { counts: { rowsFolded: result.rowsFolded, months: result.months.length }, lines };
    },
  },
  resets: {
    description: 'Start new credit pools (and overage counts) for users whose reset time has passed',
    defaultIntervalSeconds: 3_600,
    async run(services, { dryRun }) {
      return { counts: await resetIdlePools({ db: services.db, now: services.now() }, { dryRun }) };
    },
  },
  cleanup: {
    description: 'Delete expired sessions, tokens and old visitor pools; settle abandoned credit holds',
    defaultIntervalSeconds: 3_600,
    async run(services, { dryRun }) {
      const counts = await cleanUp(
        { ...services, log: (error, message) => console.error(message, error) },
        { dryRun },
      );
      return { counts };
    },
  },
};

/** Each job's interval in seconds: the defaults, with JOB_INTERVALS (`name=seconds,…`) on top. */
export function jobIntervals(overrides: Partial<Record<JobName, number>>): Record<JobName, number> {
  const every = (name: JobName) => overrides[name] ?? JOBS[name].defaultIntervalSeconds;
  return { retention: every('retention'), resets: every('resets'), cleanup: every('cleanup') };
}

export interface JobOutcome {
  /** False when another process had already claimed this scheduled tick. */
  ran: boolean;
  counts: JobCounts;
  /** What a person reads about the run (e.g. the months retention folded). */
  lines: string[];
  error: string | null;
  tookMs: number;
}

/**
 * Run one job and record it in `job_runs` (a dry run writes nothing). A scheduled run first claims its
 * (job, tick) row: of several API processes sharing the database, exactly one gets it and runs.
 */
export async function runJob(
  services: JobServices,
  name: JobName,
  options: { trigger: 'schedule' | 'manual'; tick?: string; dryRun?: boolean },
): Promise<JobOutcome> {
  const dryRun = options.dryRun ?? false;
  const started = services.now();
  let runId: number | null = null;
  if (!dryRun) {
    try {
      const row = await services.db.models.JobRun.query().insert({
        job_name: name,
        tick: options.tick ?? `manual:${randomUUID()}`,
        trigger: options.trigger,
        owner: services.instance.owner,
        started_at: started,
        finished_at: null,
        took_ms: null,
        dry_run: false,
        counts: null,
        error: null,
      });
      runId = row.id;
    } catch (error) {
      if (error instanceof UniqueViolationError)
        return { ran: false, counts: {}, lines: [], error: null, tookMs: 0 };
      throw error;
    }
  }
  const clock = performance.now();
  let outcome: JobOutcome;
  try {
    const { counts, lines = [] } = await JOBS[name].run(services, { dryRun });
    outcome = { ran: true, counts, lines, error: null, tookMs: Math.round(performance.now() - clock) };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    outcome = {
      ran: true,
      counts: {},
      lines: [],
      error: message,
      tookMs: Math.round(performance.now() - clock),
    };
  }
  if (runId !== null) {
    await services.db.models.JobRun.query().findById(runId).patch({
      finished_at: services.now(),
      took_ms: outcome.tookMs,
      counts: outcome.counts,
      error: outcome.error,
    });
  }
  return outcome;
}

/** The start of the interval that holds `now`: the tick a scheduled run belongs to. */
export function tickOf(now: Date, intervalSeconds: number): string {
  const ms = intervalSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString();
}

/**
 * Runs every job once per interval tick. Several API processes may each run a scheduler: the claim in
 * runJob makes each tick run once in all. A job still running when its next tick comes is not started
 * twice in this process.
 */
export class JobScheduler {
  private timer: NodeJS.Timeout | null = null;
  private readonly lastTick = new Map<JobName, string>();
  private readonly running = new Map<JobName, Promise<unknown>>();

  constructor(
    private readonly services: JobServices,
    private readonly intervals: Record<JobName, number>,
    private readonly log: (error: unknown, message: string) => void,
  ) {}

  start(): void {
    const shortest = Math.min(...JOB_NAMES.map((name) => this.intervals[name]));
    const every = Math.max(100, Math.min(1000, (shortest * 1000) / 4));
    this.timer = setInterval(() => this.check(), every);
    this.timer.unref();
    this.check();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
  }

  private check(): void {
    const now = this.services.now();
    for (const name of JOB_NAMES) {
      const tick = tickOf(now, this.intervals[name]);
      if (this.lastTick.get(name) === tick || this.running.has(name)) continue;
      this.lastTick.set(name, tick);
      const run = runJob(this.services, name, { trigger: 'schedule', tick })
        .then((outcome) => {
          if (outcome.error) this.log(new Error(outcome.error), `job ${name} failed`);
        })
        .catch((error: unknown) => this.log(error, `job ${name} could not run`))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }
  }
}
