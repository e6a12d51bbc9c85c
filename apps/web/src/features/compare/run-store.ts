import type { TCompareEvent } from '@compareintel/shared';
import { type AnswerMetrics, EMPTY_METRICS } from './metrics';

export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';

/** One model's answer while a comparison runs. Replaced (never mutated) so React sees each change. */
export interface LiveAnswer {
  modelId: string;
  text: string;
  status: AnswerStatus;
  error: string | null;
  /** Client clock: when the run started, and when this model's first text arrived. */
  startedAt: number;
  firstTokenAt: number | null;
  /** Text pieces received; a close live stand-in for output tokens until the model reports usage. */
  pieces: number;
  metrics: AnswerMetrics;
}

export type RunPhase = 'connecting' | 'streaming' | 'finished' | 'failed';

export interface RunSummary {
  phase: RunPhase;
  runId: string | null;
  conversationId: number | null;
  creditsCharged: number | null;
  creditsRemaining: number | null;
}

type Listener = () => void;
const RUN_KEY = '*';

function isStopMessage(message: string): boolean {
  return /^stopped/i.test(message.trim());
}

/**
 * The state of one comparison in flight, outside React. Deltas are buffered and applied once per
 * animation frame, and each card subscribes to its own model only, so twelve streaming cards cost
 * twelve small renders per frame at most, however many events arrive.
 */
export class RunStore {
  private answers = new Map<string, LiveAnswer>();
  private pending = new Map<string, string[]>();
  private listeners = new Map<string, Set<Listener>>();
  private frame: number | null = null;
  private summary: RunSummary = {
    phase: 'connecting',
    runId: null,
    conversationId: null,
    creditsCharged: null,
    creditsRemaining: null,
  };

  constructor(readonly models: readonly string[], private readonly now: () => number = () => performance.now()) {
    const startedAt = now();
    for (const modelId of models) {
      this.answers.set(modelId, {
        modelId,
        text: '',
        status: 'waiting',
        error: null,
        startedAt,
        firstTokenAt: null,
        pieces: 0,
        metrics: EMPTY_METRICS,
      });
    }
  }

  answer(modelId: string): LiveAnswer | undefined {
    return this.answers.get(modelId);
  }

  allAnswers(): LiveAnswer[] {
    this.flush();
    return [...this.answers.values()];
  }

  run(): RunSummary {
    return this.summary;
  }

  subscribe(modelId: string, listener: Listener): () => void {
    const set = this.listeners.get(modelId) ?? new Set();
    set.add(listener);
    this.listeners.set(modelId, set);
    return () => set.delete(listener);
  }

  subscribeRun(listener: Listener): () => void {
    return this.subscribe(RUN_KEY, listener);
  }

  /** Apply one event from the compare subscription. */
  apply(event: TCompareEvent): void {
    switch (event.type) {
      case 'started':
        this.setSummary({ phase: 'streaming', runId: event.runId, conversationId: event.conversationId });
        return;
      case 'delta':
        this.receiveText(event.modelId, event.text);
        return;
      case 'modelDone': {
        const { type: _type, modelId, ...metrics } = event;
        this.end(modelId, { status: 'done', metrics });
        return;
      }
      case 'modelError':
        this.end(event.modelId, {
          status: isStopMessage(event.message) ? 'stopped' : 'error',
          error: event.message,
        });
        return;
      case 'done':
        this.setSummary({
          phase: 'finished',
          creditsCharged: event.creditsCharged,
          creditsRemaining: event.creditsRemaining,
        });
        return;
    }
  }

  /** The run could not go on (refused before start, or the connection broke): end every open card. */
  fail(message: string): void {
    for (const answer of this.answers.values()) {
      if (answer.status === 'waiting' || answer.status === 'streaming') {
        this.end(answer.modelId, { status: isStopMessage(message) ? 'stopped' : 'error', error: message });
      }
    }
    this.setSummary({ phase: 'failed' });
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.listeners.clear();
  }

  private receiveText(modelId: string, text: string): void {
    const answer = this.answers.get(modelId);
    if (!answer || answer.status === 'done' || answer.status === 'error' || answer.status === 'stopped') return;
    if (answer.firstTokenAt === null) this.answers.set(modelId, { ...answer, firstTokenAt: this.now() });
    const list = this.pending.get(modelId) ?? [];
    list.push(text);
    this.pending.set(modelId, list);
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.flush();
    });
  }

  /** Apply buffered text now (each frame, and before a model's end so no text is lost). */
  flush(only?: string): void {
    const ids = only === undefined ? [...this.pending.keys()] : [only];
    for (const modelId of ids) {
      const pieces = this.pending.get(modelId);
      const answer = this.answers.get(modelId);
      this.pending.delete(modelId);
      if (!pieces || pieces.length === 0 || !answer) continue;
      this.answers.set(modelId, {
        ...answer,
        text: answer.text + pieces.join(''),
        pieces: answer.pieces + pieces.length,
        status: answer.status === 'waiting' ? 'streaming' : answer.status,
      });
      this.notify(modelId);
    }
  }

  private end(modelId: string, change: Partial<LiveAnswer>): void {
    this.flush(modelId);
    const answer = this.answers.get(modelId);
    if (!answer) return;
    this.answers.set(modelId, { ...answer, ...change });
    this.notify(modelId);
  }

  private setSummary(change: Partial<RunSummary>): void {
    this.summary = { ...this.summary, ...change };
    this.notify(RUN_KEY);
  }

  private notify(key: string): void {
    for (const listener of this.listeners.get(key) ?? []) listener();
  }
}
