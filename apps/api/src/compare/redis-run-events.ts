import { Redis } from 'ioredis';
import {
  isFinal,
  MemoryRunEventLog,
  type RunEntry,
  type RunEventLog,
  type RunMeta,
  type RunRecord,
  type RunState,
  type StopRequestHandler,
  stateOf,
  Wakeup,
} from './run-events';

/** How long a log may stay open: a run ends within MODEL_TIMEOUT_MS, recovery settles one whose process died. */
const OPEN_TTL_SECONDS = 3600;
/** How long this process keeps its own finished runs in memory too (later replays read Redis). */
const LOCAL_RETAIN_MS = 15_000;
/** How long a subscriber waits on pub/sub before it checks the stream itself (a message lost in a reconnect). */
const POLL_MS = 3000;

export interface RedisRunEventOptions {
  url: string;
  /** Key prefix (separates apps or test runs that share one Redis). */
  prefix: string;
  /** How long a finished run's log stays readable (a reload after the end still replays it). */
  retainMs: number;
  log(error: unknown, message: string): void;
}

/**
 * The run log for several API processes, on Redis: each run is a stream (`<prefix>:<runId>:events`,
 * entry ids `<n>-0` so event ids are 1, 2, 3 …) plus a pub/sub channel that carries each entry as it is
 * appended; stop requests travel on one control channel that every process listens to. A subscriber
 * listens first and then reads the stream, so it misses nothing between the two and skips what it has
 * seen. Runs of this process are also kept in its memory, so its own subscribers need no round trip.
 */
export class RedisRunEventLog implements RunEventLog {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly local: MemoryRunEventLog;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private readonly stopHandlers: StopRequestHandler[] = [];
  private readonly controlChannel: string;
  private readonly subscribed: Promise<unknown>;
  private closed = false;

  constructor(private readonly options: RedisRunEventOptions) {
    // A run must not wait long on a Redis that is gone: commands fail after a couple of retries.
    this.commands = new Redis(options.url, { maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(options.url);
    this.local = new MemoryRunEventLog(Math.min(options.retainMs, LOCAL_RETAIN_MS));
    this.controlChannel = `${options.prefix}:control`;
    let reported = false;
    const report = (error: Error) => {
      if (reported) return;
      reported = true;
      options.log(error, 'Redis for run events is unreachable; retrying');
    };
    this.commands.on('error', report);
    this.subscriber.on('error', report);
    this.commands.on('ready', () => {
      reported = false;
    });
    this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    this.subscribed = this.subscriber.subscribe(this.controlChannel).catch((error: unknown) => {
      options.log(error, 'run stop requests cannot be received');
    });
  }

  /** Resolves once this process hears stop requests (startup waits for it). */
  ready(): Promise<unknown> {
    return this.subscribed;
  }

  private key(runId: string, part: 'meta' | 'events'): string {
    return `${this.options.prefix}:${runId}:${part}`;
  }

  private channel(runId: string): string {
    return `${this.options.prefix}:${runId}`;
  }

  private dispatch(channel: string, message: string): void {
    if (channel === this.controlChannel) {
      try {
        const { runId, modelId } = JSON.parse(message) as { runId: string; modelId: string | null };
        for (const handler of this.stopHandlers) handler(runId, modelId);
      } catch (error) {
        this.options.log(error, 'unreadable run stop request');
      }
      return;
    }
    for (const listener of this.listeners.get(channel) ?? []) listener(message);
  }

  async open(runId: string, meta: RunMeta): Promise<void> {
    await this.local.open(runId, meta);
    await this.commands.set(this.key(runId, 'meta'), JSON.stringify(meta), 'EX', OPEN_TTL_SECONDS);
  }

  append(runId: string, record: RunRecord): void {
    const id = this.local.append(runId, record);
    if (id > 0) this.write(runId, id, [record]);
  }

  /** Write entries `firstId`, `firstId + 1` … to the stream and announce each; the last one may end the log. */
  private write(runId: string, firstId: number, records: RunRecord[]): Promise<unknown> {
    const events = this.key(runId, 'events');
    const pipeline = this.commands.pipeline();
    records.forEach((record, index) => {
      const json = JSON.stringify(record);
      const id = firstId + index;
      pipeline.xadd(events, `${id}-0`, 'r', json);
      pipeline.publish(this.channel(runId), `${id} ${json}`);
    });
    const last = records.at(-1);
    const ttl = last && isFinal(last) ? Math.ceil(this.options.retainMs / 1000) : OPEN_TTL_SECONDS;
    if (firstId === 1 || ttl !== OPEN_TTL_SECONDS) {
      pipeline.expire(events, ttl);
      pipeline.expire(this.key(runId, 'meta'), ttl);
    }
    return pipeline.exec().then(
      (results) => {
        const failed = results?.find(([error]) => error);
        if (failed) this.options.log(failed[0], `run ${runId}: events not written to Redis`);
      },
      (error: unknown) => this.options.log(error, `run ${runId}: events not written to Redis`),
    );
  }

  async appendAfterCrash(runId: string, records: RunRecord[]): Promise<void> {
    if (records.length === 0 || !(await this.meta(runId))) return;
    const last = await this.commands.xrevrange(this.key(runId, 'events'), '+', '-', 'COUNT', 1);
    const lastEntry = last[0];
    if (lastEntry && isFinal(parseRecord(lastEntry[1]))) return;
    const lastId = lastEntry ? Number(lastEntry[0].split('-')[0]) : 0;
    await this.write(runId, lastId + 1, records);
  }

  async meta(runId: string): Promise<RunMeta | null> {
    const local = await this.local.meta(runId);
    if (local) return local;
    const json = await this.commands.get(this.key(runId, 'meta'));
    return json ? (JSON.parse(json) as RunMeta) : null;
  }

  async state(runId: string): Promise<RunState> {
    if (this.local.has(runId)) return this.local.state(runId);
    return stateOf((await this.range(runId, 0)).map((entry) => entry.record));
  }

  /** The stream's entries after `afterId`. */
  private async range(runId: string, afterId: number): Promise<RunEntry[]> {
    const start = afterId > 0 ? `(${afterId}-0` : '-';
    const entries = await this.commands.xrange(this.key(runId, 'events'), start, '+');
    return entries.map(([id, fields]) => ({ id: Number(id.split('-')[0]), record: parseRecord(fields) }));
  }

  read(runId: string, afterId: number, signal?: AbortSignal): AsyncIterable<RunEntry> {
    return this.local.has(runId)
      ? this.local.read(runId, afterId, signal)
      : this.readRemote(runId, afterId, signal);
  }

  private async *readRemote(runId: string, afterId: number, signal?: AbortSignal): AsyncIterable<RunEntry> {
    const heard: RunEntry[] = [];
    const wakeup = new Wakeup();
    const channel = this.channel(runId);
    const listener = (message: string) => {
      const space = message.indexOf(' ');
      heard.push({ id: Number(message.slice(0, space)), record: JSON.parse(message.slice(space + 1)) });
      wakeup.notify();
    };
    await this.listen(channel, listener);
    try {
      let last = afterId;
      let pending = await this.range(runId, last);
      while (!signal?.aborted && !this.closed) {
        let gap = false;
        for (const entry of pending) {
          if (entry.id <= last) continue;
          if (entry.id > last + 1) {
            gap = true;
            break;
          }
          last = entry.id;
          yield entry;
          if (isFinal(entry.record)) return;
        }
        if (gap) {
          // Something was missed (pub/sub reconnected): the stream has it.
          pending = await this.range(runId, last);
          continue;
        }
        if (heard.length === 0) await wakeup.wait(signal, POLL_MS);
        if (heard.length > 0) {
          pending = heard.splice(0);
          continue;
        }
        // Nothing heard for a while: check the stream itself (and whether the run is gone).
        pending = await this.range(runId, last);
        const keys = [this.key(runId, 'events'), this.key(runId, 'meta')];
        if (pending.length === 0 && (await this.commands.exists(...keys)) === 0) return;
      }
    } finally {
      await this.unlisten(channel, listener);
    }
  }

  private async listen(channel: string, listener: (message: string) => void): Promise<void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      set.add(listener);
      await this.subscriber.subscribe(channel);
      return;
    }
    set.add(listener);
  }

  private async unlisten(channel: string, listener: (message: string) => void): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set) return;
    set.delete(listener);
    if (set.size > 0) return;
    this.listeners.delete(channel);
    if (!this.closed) await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  async requestStop(runId: string, modelId: string | null): Promise<void> {
    await this.commands.publish(this.controlChannel, JSON.stringify({ runId, modelId }));
  }

  onStopRequest(handler: StopRequestHandler): void {
    this.stopHandlers.push(handler);
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('Redis did not answer')), 1000);
    });
    try {
      await Promise.race([this.commands.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close();
    await Promise.allSettled([this.subscriber.quit(), this.commands.quit()]);
  }
}

function parseRecord(fields: string[]): RunRecord {
  return JSON.parse(fields[1] ?? '{}') as RunRecord;
}
