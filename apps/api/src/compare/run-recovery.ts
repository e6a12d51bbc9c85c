import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  abandonedCreditHolds,
  type CreditHold,
  creditHoldOwners,
  type Db,
  type HoldModelProgress,
  renewHoldLeases,
} from '@compareintel/db';
import { maskRecord } from '../arena/blind-labels';
import { unrevealedRunLabels } from '../arena/blind-runs';
import type { ModelRegistry, RegisteredModel } from '../models/registry';
import type { RunEventLog, RunRecord } from './run-events';
import type { RunRegistry } from './run-registry';
import { type Settlement, settleComparison } from './settle-comparison';
import type { ModelOutcome } from './stream-model';

/** This API process, as its credit holds name it: `host/pid/random`. */
export interface ProcessIdentity {
  owner: string;
  host: string;
  pid: number;
}

export function processIdentity(): ProcessIdentity {
  const host = hostname();
  const pid = process.pid;
  return { owner: `${host}/${pid}/${randomBytes(4).toString('hex')}`, host, pid };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Owners of holds that ran on this host in a process that has exited (killed, crashed): their runs can
 * be settled at once instead of after their lease runs out. Other hosts' processes are judged by lease.
 */
export function deadOwnersOnThisHost(owners: readonly string[], self: ProcessIdentity): string[] {
  return owners.filter((owner) => {
    if (owner === self.owner) return false;
    const [host, pid] = owner.split('/');
    const number = Number(pid);
    return host === self.host && Number.isInteger(number) && number > 0 && !isAlive(number);
  });
}

const RECOVERY_ATTEMPTS = 4;

export const INTERRUPTED = 'The server stopped before this answer finished.';

/** What a model of a recovered run came to: what it had finished, or what it had streamed when cut off. */
function outcomeOf(modelId: string, progress: HoldModelProgress, hold: CreditHold, now: Date): ModelOutcome {
  const interrupted = progress.status === 'streaming';
  return {
    modelId,
    status: progress.status === 'streaming' ? 'stopped' : progress.status,
    text: progress.text,
    error: interrupted ? INTERRUPTED : progress.error,
    inputTokens: progress.inputTokens,
    outputTokens: progress.outputTokens,
    // Interrupted streams were billed upstream for what they produced; the usage chunk never came.
    costUsd: interrupted ? null : progress.costUsd,
    mock: progress.mock,
    // A model that had produced nothing but was cut off counts as stopped before its first token.
    ttftMs: progress.ttftMs,
    durationMs: progress.durationMs ?? Math.max(0, now.getTime() - hold.created_at.getTime()),
    // Searches made before the crash were paid upstream: charged like the text.
    web: progress.web ?? null,
  };
}

export interface RecoveryDeps {
  db: Db;
  models: ModelRegistry;
  runs: RunRegistry;
  /** Subscribers still following a recovered run (on any process) get its ending from here. */
  runEvents: RunEventLog;
  instance: ProcessIdentity;
  now(): Date;
  log(error: unknown, message: string): void;
}

/** The ending of a recovered run for its subscribers: the cut-off cards end, then `done` with the charge. */
function endingOf(outcomes: ModelOutcome[], settlement: Settlement): RunRecord[] {
  const records: RunRecord[] = outcomes
    .filter((outcome) => outcome.error === INTERRUPTED)
    .map((outcome) => ({ event: { type: 'modelError', modelId: outcome.modelId, message: INTERRUPTED } }));
  records.push({
    event: {
      type: 'done',
      creditsCharged: settlement.creditsCharged,
      creditsRemaining: settlement.creditsRemaining,
    },
  });
  return records;
}

/**
 * Settle every run whose process is gone, from what its hold recorded: answers saved with their partial
 * text, charged for what was streamed, the rest of the hold given back. Each hold is settled once even
 * when several processes recover at the same time (the settling transaction claims it). Returns how many
 * runs this call settled.
 */
export async function recoverAbandonedRuns(deps: RecoveryDeps): Promise<number> {
  const now = deps.now();
  const deadOwners = deadOwnersOnThisHost(await creditHoldOwners(deps.db), deps.instance);
  const holds = await abandonedCreditHolds(deps.db, { now, deadOwners, exceptIds: deps.runs.ids() });
  let settled = 0;
  for (const hold of holds) {
    const outcomes = Object.entries(hold.progress).map(([modelId, progress]) =>
      outcomeOf(modelId, progress, hold, now),
    );
    const models = outcomes
      .map((outcome) => deps.models.get(outcome.modelId))
      .filter((model): model is RegisteredModel => model !== undefined);
    const input = {
      holdId: hold.id,
      models,
      outcomes,
      processingTimeMs: Math.max(0, hold.updated_at.getTime() - hold.created_at.getTime()),
    };
    // Several processes recovering at once contend for the same rows (SQLite answers a busy writer at
    // once): a few quick retries, then the next sweep.
    for (let attempt = 1; attempt <= RECOVERY_ATTEMPTS; attempt += 1) {
      try {
        const settlement = await settleComparison({ db: deps.db }, input);
        if (settlement) {
          settled += 1;
          // A blind run's ending names its cards by their labels, as its own process would have.
          const labels = await unrevealedRunLabels(deps.db, hold.id);
          const names = new Map(models.map((model) => [model.id, model.name]));
          const ending = endingOf(outcomes, settlement).map((record) =>
            labels ? maskRecord(record, labels, names) : record,
          );
          await deps.runEvents
            .appendAfterCrash(hold.id, ending)
            .catch((error: unknown) => deps.log(error, `run ${hold.id}: ending not published`));
        }
        break;
      } catch (error) {
        if (attempt === RECOVERY_ATTEMPTS) {
          deps.log(error, `abandoned run ${hold.id} could not be settled; it is tried again later`);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    }
  }
  return settled;
}

/**
 * The background work that keeps holds honest in one API process: renew the leases of its own runs, and
 * settle the runs of processes that are gone, at start and every `sweepMs`.
 */
export class HoldKeeper {
  private timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly deps: RecoveryDeps,
    private readonly timing: { leaseMs: number; sweepMs: number },
  ) {}

  /** Recover what is abandoned now, then keep going in the background. */
  async start(): Promise<number> {
    const recovered = await this.sweep();
    const heartbeat = setInterval(
      () => void this.renew(),
      Math.max(250, Math.floor(this.timing.leaseMs / 3)),
    );
    const sweeper = setInterval(() => void this.sweep(), this.timing.sweepMs);
    heartbeat.unref();
    sweeper.unref();
    this.timers = [heartbeat, sweeper];
    return recovered;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.sweeping;
  }

  private async renew(): Promise<void> {
    const until = new Date(this.deps.now().getTime() + this.timing.leaseMs);
    await renewHoldLeases(this.deps.db, this.deps.instance.owner, this.deps.runs.ids(), until).catch(
      (error: unknown) => this.deps.log(error, 'credit hold leases not renewed'),
    );
  }

  private sweep(): Promise<number> {
    this.sweeping ??= recoverAbandonedRuns(this.deps)
      .catch((error: unknown) => {
        this.deps.log(error, 'abandoned runs not recovered');
        return 0;
      })
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }
}
