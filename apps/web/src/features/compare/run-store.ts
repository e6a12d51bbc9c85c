import type { TCompareEvent } from '@compareintel/shared';
import { FrameBudget } from './frame-budget';
import { type AnswerMetrics, EMPTY_METRICS } from './metrics';

export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';

/** One model's answer while a comparison runs. Replaced (never mutated) so React sees each change. */
export interface LiveAnswer {
  modelId: string;
  text: string;
  status: AnswerStatus;
  error: string | null;
  /** Client clock: when the run was admitted, and when this model's first text arrived. */
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
/** If frames stop (a hidden tab), buffered changes are applied anyway after this long. */
const SETTLE_FALLBACK_MS = 600;

function isStopMessage(message: string): boolean {
  return /^stopped/i.test(message.trim());
}

/**
 * The state of one comparison in flight, outside React. Events are buffered and published to the
 * cards once per animation frame, each card subscribing to its own model only. When frames get long,
 * fewer cards are published per frame (FrameBudget), the longest-waiting first and finished answers
 * before all others, so the page keeps its frame rate and every card still moves several times a second.
 */
export class RunStore {
  private answers = new Map<string, LiveAnswer>();
  private pendingText = new Map<string, string[]>();
  private pendingEnd = new Map<string, Partial<LiveAnswer>>();
  private firstTokenAt = new Map<string, number>();
  private lastPublished = new Map<string, number>();
  private listeners = new Map<string, Set<Listener>>();
  private settleWaiters: Array<() => void> = [];
  private frame: number | null = null;
  private readonly budget: FrameBudget;
  private summary: RunSummary = {
    phase: 'connecting',
    runId: null,
    conversationId: null,
    creditsCharged: null,
    creditsRemaining: null,
  };

  constructor(
    readonly models: readonly string[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.budget = new FrameBudget(models.length);
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

  /** Every answer with all buffered changes applied. */
  allAnswers(): LiveAnswer[] {
    this.publishAll();
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
      case 'started': {
        // Time to first token counts from admission, as the API measures it, not from the request.
        const startedAt = this.now();
        for (const [modelId, answer] of this.answers) this.answers.set(modelId, { ...answer, startedAt });
        this.setSummary({ phase: 'streaming', runId: event.runId, conversationId: event.conversationId });
        return;
      }
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
    this.publishAll();
    for (const answer of this.answers.values()) {
      if (answer.status === 'waiting' || answer.status === 'streaming') {
        this.answers.set(answer.modelId, {
          ...answer,
          status: isStopMessage(message) ? 'stopped' : 'error',
          error: message,
          metrics: this.measured(answer.modelId),
        });
        this.notify(answer.modelId);
      }
    }
    this.setSummary({ phase: 'failed' });
  }

  /** Resolves once every buffered change has reached the cards. */
  settled(): Promise<void> {
    if (!this.hasWork()) return Promise.resolve();
    return new Promise((resolve) => {
      const fallback = window.setTimeout(() => {
        this.publishAll();
        this.resolveSettled();
      }, SETTLE_FALLBACK_MS);
      this.settleWaiters.push(() => {
        window.clearTimeout(fallback);
        resolve();
      });
    });
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.listeners.clear();
    this.resolveSettled();
  }

  private receiveText(modelId: string, text: string): void {
    const answer = this.answers.get(modelId);
    if (
      !answer ||
      this.pendingEnd.has(modelId) ||
      (answer.status !== 'waiting' && answer.status !== 'streaming')
    ) {
      return;
    }
    if (!this.firstTokenAt.has(modelId)) this.firstTokenAt.set(modelId, this.now());
    const list = this.pendingText.get(modelId) ?? [];
    list.push(text);
    this.pendingText.set(modelId, list);
    this.schedule();
  }

  private end(modelId: string, change: Partial<LiveAnswer>): void {
    if (!this.answers.has(modelId)) return;
    // A failed or stopped model reports no usage: keep what the client measured (and it costs nothing).
    this.pendingEnd.set(modelId, change.metrics ? change : { ...change, metrics: this.measured(modelId) });
    this.schedule();
  }

  private measured(modelId: string): AnswerMetrics {
    const answer = this.answers.get(modelId);
    const firstTokenAt = answer?.firstTokenAt ?? this.firstTokenAt.get(modelId) ?? null;
    const pieces = (answer?.pieces ?? 0) + (this.pendingText.get(modelId)?.length ?? 0);
    const startedAt = answer?.startedAt ?? this.now();
    return {
      inputTokens: null,
      outputTokens: pieces > 0 ? pieces : null,
      ttftMs: firstTokenAt === null ? null : Math.max(0, firstTokenAt - startedAt),
      durationMs: Math.max(0, this.now() - startedAt),
      credits: 0,
    };
  }

  private schedule(): void {
    this.frame ??= requestAnimationFrame(this.onFrame);
  }

  private hasWork(): boolean {
    return this.pendingText.size > 0 || this.pendingEnd.size > 0;
  }

  private onFrame = (time: number): void => {
    this.frame = null;
    const allowed = this.budget.startFrame(time);
    const interval = this.budget.cardInterval;
    const ended = [...this.pendingEnd.keys()];
    const due = [...this.pendingText.keys()]
      .filter((id) => !this.pendingEnd.has(id))
      .filter((id) => time - (this.lastPublished.get(id) ?? Number.NEGATIVE_INFINITY) >= interval)
      .sort((a, b) => (this.lastPublished.get(a) ?? 0) - (this.lastPublished.get(b) ?? 0));
    const now = [...ended, ...due].slice(0, allowed);
    this.budget.used(now.length);
    for (const modelId of now) {
      this.lastPublished.set(modelId, time);
      this.publish(modelId);
    }
    if (this.hasWork()) this.schedule();
    else this.resolveSettled();
  };

  /** Apply one model's buffered text and end, and tell its card. */
  private publish(modelId: string): void {
    const answer = this.answers.get(modelId);
    const pieces = this.pendingText.get(modelId) ?? [];
    const end = this.pendingEnd.get(modelId);
    this.pendingText.delete(modelId);
    this.pendingEnd.delete(modelId);
    if (!answer || (pieces.length === 0 && !end)) return;
    const text = answer.text + pieces.join('');
    this.answers.set(modelId, {
      ...answer,
      text,
      pieces: answer.pieces + pieces.length,
      firstTokenAt: answer.firstTokenAt ?? this.firstTokenAt.get(modelId) ?? null,
      status: answer.status === 'waiting' && text ? 'streaming' : answer.status,
      ...end,
    });
    this.notify(modelId);
  }

  private publishAll(): void {
    for (const modelId of new Set([...this.pendingText.keys(), ...this.pendingEnd.keys()]))
      this.publish(modelId);
  }

  private resolveSettled(): void {
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private setSummary(change: Partial<RunSummary>): void {
    this.summary = { ...this.summary, ...change };
    this.notify(RUN_KEY);
  }

  private notify(key: string): void {
    for (const listener of this.listeners.get(key) ?? []) listener();
  }
}
