import type { TCompareEvent, TSource, TWebTool } from '@compareintel/shared';
import { FrameBudget } from './frame-budget';
import { type AnswerMetrics, EMPTY_METRICS } from './metrics';

export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';

/** A web tool call the model is waiting on: the card's status line ("Searching: …", "Reading: …"). */
export interface ToolActivity {
  index: number;
  tool: TWebTool;
  target: string;
}

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
  /** A short word about this card that is not its answer (a stop that did not take). */
  notice: string | null;
  /** The latest web tool call still running, until text resumes or the call ends. */
  activity: ToolActivity | null;
  /** Pages the tools gave the model, in the order they arrived, one per URL (citations count in it). */
  sources: TSource[];
  /** Web searches made so far (the model's own count once it ends). */
  searches: number;
  /** What the card says besides the answer: a failed search, why the model did not search. */
  notes: string[];
}

export type RunPhase = 'connecting' | 'streaming' | 'finished' | 'failed';

export interface RunSummary {
  phase: RunPhase;
  runId: string | null;
  conversationId: number | null;
  creditsCharged: number | null;
  creditsRemaining: number | null;
  /** The connection dropped mid-run; the client is reconnecting and will resume where it left off. */
  reconnecting: boolean;
  /** A short word about the whole run (a stop that did not take). */
  notice: string | null;
}

type Listener = () => void;
const RUN_KEY = '*';
/** If frames stop (a hidden tab), buffered changes are applied anyway after this long. */
const SETTLE_FALLBACK_MS = 600;

function isStopMessage(message: string): boolean {
  return /^stopped/i.test(message.trim());
}

/** The card's note for a tool call that failed (the model is told too, and answers on). */
export function failedToolNote(tool: TWebTool, target: string, note: string | null): string {
  if (tool === 'web_search') return `Search failed: ${note ?? `no results for “${target}”.`}`;
  return `Reading failed: ${note ?? `${target} could not be read.`}`;
}

/** `sources` with the new ones after it, each URL once, in the order they first came. */
export function withSources(sources: TSource[], added: readonly TSource[]): TSource[] {
  const seen = new Set(sources.map((source) => source.url));
  const fresh = added.filter((source) => !seen.has(source.url) && seen.add(source.url));
  return fresh.length === 0 ? sources : [...sources, ...fresh];
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
  /** Web search calls seen, as `modelId index`, so a repeated event is not counted twice. */
  private searchCalls = new Set<string>();
  private lastPublished = new Map<string, number>();
  private listeners = new Map<string, Set<Listener>>();
  private settleWaiters: Array<() => void> = [];
  private frame: number | null = null;
  private replayed = false;
  private readonly budget: FrameBudget;
  private summary: RunSummary = {
    phase: 'connecting',
    runId: null,
    conversationId: null,
    creditsCharged: null,
    creditsRemaining: null,
    reconnecting: false,
    notice: null,
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
        notice: null,
        activity: null,
        sources: [],
        searches: 0,
        notes: [],
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

  /**
   * The API admitted the run. Time to first token counts from here, as the API measures it, not from
   * the request. A run followed again after a reload says how long ago it was admitted; its log replays
   * at once, so when its first text came is not known here (the model's own figures follow at its end).
   */
  admit(runId: string, conversationId: number | null, resumed?: { elapsedMs: number }): void {
    if (this.summary.phase !== 'connecting') return;
    this.replayed = resumed !== undefined;
    const startedAt = this.now() - (resumed?.elapsedMs ?? 0);
    for (const [modelId, answer] of this.answers) this.answers.set(modelId, { ...answer, startedAt });
    this.setSummary({ phase: 'streaming', runId, conversationId });
  }

  /** Whether a model (or, without one, any model) has not ended yet, counting ends not yet shown. */
  isOpen(modelId?: string): boolean {
    const ids = modelId ? [modelId] : [...this.answers.keys()];
    return ids.some((id) => {
      const status = this.answers.get(id)?.status;
      return (status === 'waiting' || status === 'streaming') && !this.pendingEnd.has(id);
    });
  }

  setReconnecting(reconnecting: boolean): void {
    if (this.summary.reconnecting !== reconnecting) this.setSummary({ reconnecting });
  }

  /** Show (or clear, with null) a short notice on one card, or on the run when no model is named. */
  note(modelId: string | null, notice: string | null): void {
    if (modelId === null) {
      this.setSummary({ notice });
      return;
    }
    const answer = this.answers.get(modelId);
    if (!answer || answer.notice === notice) return;
    this.answers.set(modelId, { ...answer, notice });
    this.notify(modelId);
  }

  /** Apply one event from the run's event stream. */
  apply(event: TCompareEvent): void {
    switch (event.type) {
      case 'started':
        this.admit(event.runId, event.conversationId);
        return;
      case 'delta':
        this.receiveText(event.modelId, event.text);
        return;
      case 'tool':
        this.receiveTool(event);
        return;
      case 'note':
        this.change(event.modelId, (answer) => ({ notes: [...answer.notes, event.message] }));
        return;
      case 'modelDone': {
        const { type: _type, modelId, searches, ...metrics } = event;
        this.end(modelId, { status: 'done', metrics, searches });
        return;
      }
      case 'modelError': {
        const { modelId, message, credits, durationMs, searches } = event;
        this.end(modelId, {
          status: isStopMessage(message) ? 'stopped' : 'error',
          error: message,
          ...(searches !== undefined ? { searches } : {}),
          // The API's figures when it sent them (a stopped answer is charged for what it produced).
          ...(credits !== undefined && durationMs !== undefined
            ? {
                metrics: {
                  inputTokens: event.inputTokens ?? null,
                  outputTokens: event.outputTokens ?? null,
                  ttftMs: event.ttftMs ?? null,
                  durationMs,
                  credits,
                  costUsd: event.costUsd ?? null,
                },
              }
            : {}),
        });
        return;
      }
      case 'done':
        this.setSummary({
          phase: 'finished',
          reconnecting: false,
          creditsCharged: event.creditsCharged,
          creditsRemaining: event.creditsRemaining,
        });
        return;
      case 'failed':
        this.fail(event.message);
        return;
    }
  }

  /** The run could not go on (refused before start, or it failed): end every open card with the reason. */
  fail(message: string): void {
    if (this.summary.phase === 'finished' || this.summary.phase === 'failed') return;
    this.publishAll();
    for (const answer of this.answers.values()) {
      if (answer.status === 'waiting' || answer.status === 'streaming') {
        this.answers.set(answer.modelId, {
          ...answer,
          status: isStopMessage(message) ? 'stopped' : 'error',
          error: message,
          metrics: this.measured(answer.modelId),
          activity: null,
        });
        this.notify(answer.modelId);
      }
    }
    this.setSummary({ phase: 'failed', reconnecting: false });
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

  /** Whether a model's answer can still change (it has not ended, shown or not). */
  private isLive(answer: LiveAnswer | undefined): answer is LiveAnswer {
    return (
      answer !== undefined &&
      !this.pendingEnd.has(answer.modelId) &&
      (answer.status === 'waiting' || answer.status === 'streaming')
    );
  }

  /**
   * Change a live answer's tool state at once (tool events are few, unlike text): the status line and
   * sources need not wait for a frame, and text buffered before the event is still published after it.
   */
  private change(modelId: string, update: (answer: LiveAnswer) => Partial<LiveAnswer>): void {
    const answer = this.answers.get(modelId);
    if (!this.isLive(answer)) return;
    this.answers.set(modelId, { ...answer, ...update(answer) });
    this.notify(modelId);
  }

  private receiveTool(event: Extract<TCompareEvent, { type: 'tool' }>): void {
    const { index, tool, target } = event;
    this.change(event.modelId, (answer) => {
      if (event.state === 'running') {
        const call = `${event.modelId} ${index}`;
        const counted = tool !== 'web_search' || this.searchCalls.has(call);
        this.searchCalls.add(call);
        return { activity: { index, tool, target }, searches: answer.searches + (counted ? 0 : 1) };
      }
      const activity = answer.activity?.index === index ? null : answer.activity;
      if (event.state === 'failed') {
        return { activity, notes: [...answer.notes, failedToolNote(tool, target, event.note)] };
      }
      return { activity, sources: withSources(answer.sources, event.sources) };
    });
  }

  private receiveText(modelId: string, text: string): void {
    const answer = this.answers.get(modelId);
    if (!this.isLive(answer)) return;
    // Text again: the model has what it was waiting for.
    if (answer.activity !== null) this.answers.set(modelId, { ...answer, activity: null });
    if (!this.replayed && !this.firstTokenAt.has(modelId)) this.firstTokenAt.set(modelId, this.now());
    const list = this.pendingText.get(modelId) ?? [];
    list.push(text);
    this.pendingText.set(modelId, list);
    this.schedule();
  }

  private end(modelId: string, change: Partial<LiveAnswer>): void {
    if (!this.answers.has(modelId)) return;
    // A failed or stopped model reports no usage: keep what the client measured (and it costs nothing).
    // Once the answer has ended, a word about stopping it (or a tool it waits on) has nothing left to say.
    const ended = { ...change, notice: null, activity: null };
    this.pendingEnd.set(modelId, change.metrics ? ended : { ...ended, metrics: this.measured(modelId) });
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
