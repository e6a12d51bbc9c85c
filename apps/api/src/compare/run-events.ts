import { createHash } from 'node:crypto';
import type { AppErrorCode, TCompareEvent } from '@compareintel/shared';

/** One thing that happened to a run: an event for the client, or the failure that ended it. */
export type RunRecord = { event: TCompareEvent } | { failure: { code: AppErrorCode; message: string } };

/** A record with its place in the run's log: ids are 1, 2, 3 … per run, so `lastEventId` resumes exactly. */
export interface RunEntry {
  id: number;
  record: RunRecord;
}

/** What any process needs to know about a run to let its owner (and nobody else) reach it. */
export interface RunMeta {
  /** SHA-256 of the owner key (`user:<id>` or `visitor:<secret>`): the log never holds a visitor's secret. */
  owner: string;
  models: string[];
}

/** How far a run has got, read from its log (for `compare.stop` on a process that does not run it). */
export interface RunState {
  finished: boolean;
  /** Models whose card has ended (modelDone or modelError). */
  ended: Set<string>;
}

export type StopRequestHandler = (runId: string, modelId: string | null) => void;

/**
 * The events of every run in flight, readable from any API process: the process running a comparison
 * appends to its log; subscribers (on any process) replay it from an id and then follow it live until
 * the final record; stop requests reach the process that runs it. In memory for one process (the
 * SQLite default), through Redis when several processes share one (see redis-run-events.ts).
 */
export interface RunEventLog {
  /** Make a run known before its id is handed out (so a subscriber on another process can be checked). */
  open(runId: string, meta: RunMeta): Promise<void>;
  /** Append to a run opened in this process, in order; never waits (delivery is in the background). */
  append(runId: string, record: RunRecord): void;
  /**
   * Append the ending of a run whose process is gone (crash recovery): after whatever it had appended,
   * unless its log already ended. Does nothing for a run that is not known.
   */
  appendAfterCrash(runId: string, records: RunRecord[]): Promise<void>;
  meta(runId: string): Promise<RunMeta | null>;
  state(runId: string): Promise<RunState>;
  /** The entries after `afterId`, then live ones, ending after the final record (or when `signal` aborts). */
  read(runId: string, afterId: number, signal?: AbortSignal): AsyncIterable<RunEntry>;
  /** Ask the process running `runId` to stop one model, or all of them. */
  requestStop(runId: string, modelId: string | null): Promise<void>;
  /** Where this process hears stop requests for the runs it runs. */
  onStopRequest(handler: StopRequestHandler): void;
  /** Rejects when the log cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function ownerDigest(ownerKey: string): string {
  return createHash('sha256').update(ownerKey).digest('hex');
}

/** A run's log ends with its `done` event or its failure. */
export function isFinal(record: RunRecord): boolean {
  return 'failure' in record || record.event.type === 'done';
}

export function stateOf(records: Iterable<RunRecord>): RunState {
  const state: RunState = { finished: false, ended: new Set() };
  for (const record of records) {
    if (isFinal(record)) state.finished = true;
    else if ('event' in record && (record.event.type === 'modelDone' || record.event.type === 'modelError'))
      state.ended.add(record.event.modelId);
  }
  return state;
}

/** Resolves at the next `notify()`, or when `signal` aborts, or after `timeoutMs` (whichever comes first). */
export class Wakeup {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(signal: AbortSignal | undefined, timeoutMs?: number): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        if (timer) clearTimeout(timer);
        resolve();
      };
      const timer = timeoutMs === undefined ? null : setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

interface MemoryLog {
  meta: RunMeta;
  records: RunRecord[];
  wakeup: Wakeup;
  expiry: NodeJS.Timeout | null;
}

/**
 * The log in this process's memory. A run's log is kept `retainMs` after its final record (a reload
 * shortly after the end still replays it), then dropped: nothing grows per run.
 */
export class MemoryRunEventLog implements RunEventLog {
  private logs = new Map<string, MemoryLog>();
  private stopHandlers: StopRequestHandler[] = [];
  private closed = false;

  constructor(private readonly retainMs: number) {}

  has(runId: string): boolean {
    return this.logs.has(runId);
  }

  async open(runId: string, meta: RunMeta): Promise<void> {
    this.logs.set(runId, { meta, records: [], wakeup: new Wakeup(), expiry: null });
  }

  /** Returns the entry's id (0 when the run is unknown or its log has ended). */
  append(runId: string, record: RunRecord): number {
    const log = this.logs.get(runId);
    if (!log || log.expiry) return 0;
    log.records.push(record);
    if (isFinal(record)) {
      log.expiry = setTimeout(() => this.logs.delete(runId), this.retainMs);
      log.expiry.unref();
    }
    log.wakeup.notify();
    return log.records.length;
  }

  async appendAfterCrash(runId: string, records: RunRecord[]): Promise<void> {
    for (const record of records) this.append(runId, record);
  }

  async meta(runId: string): Promise<RunMeta | null> {
    return this.logs.get(runId)?.meta ?? null;
  }

  async state(runId: string): Promise<RunState> {
    return stateOf(this.logs.get(runId)?.records ?? []);
  }

  async *read(runId: string, afterId: number, signal?: AbortSignal): AsyncIterable<RunEntry> {
    const log = this.logs.get(runId);
    if (!log) return;
    let next = afterId;
    while (!signal?.aborted && !this.closed) {
      while (next < log.records.length) {
        const record = log.records[next] as RunRecord;
        next += 1;
        yield { id: next, record };
        if (isFinal(record)) return;
      }
      await log.wakeup.wait(signal);
    }
  }

  async requestStop(runId: string, modelId: string | null): Promise<void> {
    for (const handler of this.stopHandlers) handler(runId, modelId);
  }

  onStopRequest(handler: StopRequestHandler): void {
    this.stopHandlers.push(handler);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const log of this.logs.values()) {
      if (log.expiry) clearTimeout(log.expiry);
      log.wakeup.notify();
    }
    this.logs.clear();
  }
}
