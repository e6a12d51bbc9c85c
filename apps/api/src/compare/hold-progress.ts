import { type Db, type HoldModelProgress, type HoldProgress, saveHoldProgress } from '@compareintel/db';
import { answerTokens } from '../providers/llm/tokens';
import type { ModelOutcome } from './stream-model';

export interface HoldProgressOptions {
  db: Db;
  holdId: string;
  /** Keep the text itself (saved runs); visitors' runs keep only token counts. */
  keepText: boolean;
  /** At most this long between a streamed token and its write. */
  intervalMs: number;
  leaseMs: number;
  now(): Date;
  log(error: unknown, message: string): void;
}

/** The progress row a run starts with: every model streaming, its prompt tokens known. */
export function initialProgress(
  models: ReadonlyArray<{ modelId: string; inputTokens: number; mock: boolean }>,
) {
  const progress: HoldProgress = {};
  for (const { modelId, inputTokens, mock } of models) {
    progress[modelId] = {
      status: 'streaming',
      text: '',
      inputTokens,
      outputTokens: 0,
      costUsd: null,
      mock,
      error: null,
      ttftMs: null,
      durationMs: null,
    };
  }
  return progress;
}

/**
 * Writes what a run has streamed into its hold row, so a crash (kill -9) loses neither the text nor the
 * credits: at most `intervalMs` behind while streaming, and at once when a model ends. One write at a
 * time; writes that fall due meanwhile are folded into the next. Each write renews the run's lease.
 */
export class HoldProgressWriter {
  private readonly text = new Map<string, string>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly options: HoldProgressOptions,
    private readonly progress: HoldProgress,
  ) {}

  delta(modelId: string, text: string): void {
    if (!this.progress[modelId]) return;
    this.text.set(modelId, (this.text.get(modelId) ?? '') + text);
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.write();
    }, this.options.intervalMs);
  }

  ended(outcome: ModelOutcome): void {
    const entry = this.progress[outcome.modelId];
    if (!entry) return;
    const finished: HoldModelProgress = {
      status: outcome.status,
      text: this.options.keepText ? outcome.text : '',
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      costUsd: outcome.costUsd,
      mock: outcome.mock,
      error: outcome.error,
      ttftMs: outcome.ttftMs,
      durationMs: outcome.durationMs,
      ...(outcome.web ? { web: outcome.web } : {}),
    };
    this.progress[outcome.modelId] = finished;
    this.text.delete(outcome.modelId);
    this.dirty = true;
    // After the last model the run is settled at once, and settling writes everything; a crash before
    // it commits recovers what the previous write held, as if it had come a moment earlier.
    const streaming = Object.values(this.progress).some((entry) => entry.status === 'streaming');
    if (streaming) void this.write();
  }

  /** A search or page read ended: its count and sources are written with the text (they are charged). */
  web(modelId: string, progress: HoldModelProgress['web'] | null): void {
    const entry = this.progress[modelId];
    if (entry?.status !== 'streaming' || !progress) return;
    entry.web = structuredClone(progress);
    this.dirty = true;
    void this.write();
  }

  /** Stop writing (the run is being settled); waits for a write in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
  }

  /** Write what is not written yet, even after close (settling failed: recovery will need it). */
  async flush(): Promise<void> {
    await this.writing;
    await this.write({ evenIfClosed: true });
  }

  private snapshot(): HoldProgress {
    for (const [modelId, text] of this.text) {
      const entry = this.progress[modelId];
      if (entry?.status !== 'streaming') continue;
      entry.outputTokens = answerTokens(text);
      entry.text = this.options.keepText ? text : '';
    }
    return this.progress;
  }

  private async write(options: { evenIfClosed?: boolean } = {}): Promise<void> {
    if ((this.closed && !options.evenIfClosed) || !this.dirty) return;
    if (this.writing) {
      // Folded into a write after the one in flight.
      await this.writing;
      return this.write(options);
    }
    this.dirty = false;
    const { db, holdId, leaseMs, now } = this.options;
    this.writing = saveHoldProgress(db, holdId, this.snapshot(), new Date(now().getTime() + leaseMs))
      .catch((error: unknown) => {
        // The next write carries this one's text too; the run itself goes on.
        this.dirty = true;
        this.options.log(error, 'run progress not saved');
      })
      .finally(() => {
        this.writing = null;
      });
    await this.writing;
  }
}
