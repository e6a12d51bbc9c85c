import type { AppError, TCompareEvent } from '@compareintel/shared';
import type { RegisteredModel } from '../models/registry';
import type { ChatMessage, LlmProvider } from '../providers/llm';
import type { RunRecord } from './run-events';
import type { Settlement } from './settle-comparison';
import { type ModelOutcome, streamModel } from './stream-model';
import { AnswerWebTools, type WebToolsDeps } from './web-tools';

/**
 * How long later text waits to be sent with what follows it. Every event costs the API (and each client)
 * the same whatever its length, so 20 events a second per model reads as smooth streaming while keeping
 * a twelve-model run to a few hundred events, not thousands.
 */
const DELTA_BATCH_MS = 50;

export interface RunPlanModel {
  model: RegisteredModel;
  provider: LlmProvider;
  messages: ChatMessage[];
  /** Offered web tools (web search asked for, on in settings, and the model supports it). */
  webSearch: boolean;
  /** Said on the card before the answer (e.g. why this model answers without searching). */
  note: string | null;
}

/** Where a run's streamed text goes while it streams (its hold row; see HoldProgressWriter). */
export interface RunProgressSink {
  delta(modelId: string, text: string): void;
  ended(outcome: ModelOutcome): void;
  /** The model's web tool use changed (a search or page read ended). */
  web(modelId: string, progress: ModelOutcome['web']): void;
  close(): Promise<void>;
  /** Write everything now (after close too): the run could not be settled and recovery will settle it. */
  flush(): Promise<void>;
}

export interface RunPlan {
  /** The run's id, also its credit hold's. */
  runId: string;
  /** Visitors' proof of ownership, answered by `compare.start` alone; null for users (their session is). */
  runSecret: string | null;
  progress: RunProgressSink;
  /** Where the run's events go (its log, which subscribers on any process read). */
  publish(record: RunRecord): void;
  /**
   * The saved conversation (null for visitors). It is written while the models already stream, so the
   * database work does not add to their time to first token; events wait for it to be `started` first.
   */
  conversation: Promise<number | null>;
  models: RunPlanModel[];
  temperature: number | undefined;
  timeoutMs: number;
  /** The search provider and page reader for models with `webSearch` (null when none searches). */
  webTools: WebToolsDeps | null;
  /**
   * A blind run (issue 17): its label → model id, so `stop` takes the labels its owner sees (the events
   * are relabelled where they are published). Undefined for an ordinary run.
   */
  blindLabels?: ReadonlyMap<string, string>;
  /** Credits one finished answer costs (the same rule settle applies). */
  answerCredits(outcome: ModelOutcome): number;
  /** Records the outcomes (credits, messages, usage) once every model has ended. */
  settle(
    outcomes: ModelOutcome[],
    processingTimeMs: number,
    conversationId: number | null,
  ): Promise<Settlement>;
  /**
   * Called when the conversation could not be saved (the run is stopped) or settling failed, so held
   * credits are not lost; returns the error for the client.
   */
  onFailure(error: unknown, stage: 'start' | 'settle'): AppError;
}

/**
 * One comparison in flight: every model streams at once into the run's event log; a model's failure
 * or stop ends only its own card. When all have ended the run is settled and `done` is appended. The run
 * lives on its own: a client that goes away can come back and read on; only `stop` ends models early.
 */
export class ComparisonRun {
  readonly id: string;
  private readonly stops = new Map<string, AbortController>();
  private readonly started = performance.now();
  /** Text waiting to be sent per model (see queueDelta). */
  private readonly pendingText = new Map<string, string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly firstDeltaSent = new Set<string>();
  /** Events produced before `started` could be sent (the conversation was still being saved). */
  private early: TCompareEvent[] | null = [];
  /** The saved conversation's id once the run is admitted; rejects (with the client's error) if it could not start. */
  readonly admitted: Promise<number | null>;
  private admit!: { resolve(id: number | null): void; reject(error: Error): void };
  readonly finished: Promise<void>;

  constructor(readonly plan: RunPlan) {
    this.id = plan.runId;
    for (const { model } of plan.models) this.stops.set(model.id, new AbortController());
    this.admitted = new Promise((resolve, reject) => {
      this.admit = { resolve, reject };
    });
    // The caller awaits `admitted`; a failure there must not also surface as an unhandled rejection.
    this.admitted.catch(() => undefined);
    this.finished = this.run();
  }

  private emit(event: TCompareEvent): void {
    if (this.early) this.early.push(event);
    else this.plan.publish({ event });
  }

  private fail(error: AppError): void {
    this.plan.publish({ failure: { code: error.code, message: error.userMessage } });
  }

  /** Stop one model, or every model when none is named. Returns whether anything was running. */
  stop(modelId?: string): boolean {
    const id = modelId === undefined ? undefined : (this.plan.blindLabels?.get(modelId) ?? modelId);
    const targets = id ? [this.stops.get(id)] : [...this.stops.values()];
    let stopped = false;
    for (const controller of targets) {
      if (controller && !controller.signal.aborted) {
        controller.abort(new Error('Stopped.'));
        stopped = true;
      }
    }
    return stopped;
  }

  private async run(): Promise<void> {
    const streaming = Promise.all(this.plan.models.map((entry) => this.runModel(entry)));
    let conversationId: number | null;
    try {
      conversationId = await this.plan.conversation;
    } catch (error) {
      this.stop();
      await streaming;
      const failure = this.plan.onFailure(error, 'start');
      this.fail(failure);
      this.admit.reject(failure);
      return;
    }
    this.plan.publish({
      event: {
        type: 'started',
        conversationId,
        runId: this.id,
        models: this.plan.models.map(({ model }) => model.id),
      },
    });
    for (const event of this.early ?? []) this.plan.publish({ event });
    this.early = null;
    this.admit.resolve(conversationId);

    const outcomes = await streaming;
    try {
      await this.plan.progress.close();
      const settlement = await this.plan.settle(
        outcomes,
        Math.round(performance.now() - this.started),
        conversationId,
      );
      this.plan.publish({
        event: {
          type: 'done',
          creditsCharged: settlement.creditsCharged,
          creditsRemaining: settlement.creditsRemaining,
        },
      });
    } catch (error) {
      await this.plan.progress.flush();
      this.fail(this.plan.onFailure(error, 'settle'));
    }
  }

  /**
   * The first text of each model goes out at once (time to first token); later text is sent in batches
   * (DELTA_BATCH_MS).
   * A model's end flushes its text first, so nothing waits on the timer.
   */
  private queueDelta(modelId: string, text: string): void {
    if (!this.firstDeltaSent.has(modelId)) {
      this.firstDeltaSent.add(modelId);
      this.emit({ type: 'delta', modelId, text });
      return;
    }
    this.pendingText.set(modelId, (this.pendingText.get(modelId) ?? '') + text);
    this.flushTimer ??= setTimeout(() => this.flushDeltas(), DELTA_BATCH_MS);
  }

  private flushDeltas(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const [modelId, text] of this.pendingText) this.emit({ type: 'delta', modelId, text });
    this.pendingText.clear();
  }

  private webToolsFor(entry: RunPlanModel): AnswerWebTools | null {
    const deps = this.plan.webTools;
    if (!entry.webSearch || !deps) return null;
    const modelId = entry.model.id;
    const tools: AnswerWebTools = new AnswerWebTools(
      deps,
      (body) => {
        // The card's status line follows the text: what streamed before the call is sent first.
        this.flushDeltas();
        this.emit({ type: 'tool', modelId, ...body });
      },
      () => this.plan.progress.web(modelId, tools.progress),
    );
    return tools;
  }

  private async runModel(entry: RunPlanModel): Promise<ModelOutcome> {
    const { model, provider, messages } = entry;
    const stop = this.stops.get(model.id) ?? new AbortController();
    if (entry.note) this.emit({ type: 'note', modelId: model.id, message: entry.note });
    const outcome = await streamModel({
      web: this.webToolsFor(entry),
      modelId: model.id,
      provider,
      request: {
        model: model.upstreamId,
        messages,
        ...(this.plan.temperature === undefined ? {} : { temperature: this.plan.temperature }),
        ...(this.plan.blindLabels ? { blind: true } : {}),
      },
      stopSignal: stop.signal,
      timeoutMs: this.plan.timeoutMs,
      onDelta: (text) => {
        this.queueDelta(model.id, text);
        this.plan.progress.delta(model.id, text);
      },
    });
    this.flushDeltas();
    this.plan.progress.ended(outcome);
    if (outcome.status === 'done') {
      this.emit({
        type: 'modelDone',
        modelId: outcome.modelId,
        inputTokens: outcome.inputTokens,
        outputTokens: outcome.outputTokens,
        ttftMs: outcome.ttftMs,
        durationMs: outcome.durationMs,
        credits: this.plan.answerCredits(outcome),
        costUsd: outcome.mock ? null : outcome.costUsd,
        searches: outcome.web?.searches ?? 0,
      });
    } else {
      this.emit({
        type: 'modelError',
        modelId: model.id,
        message: outcome.error ?? 'The model failed.',
        inputTokens: outcome.inputTokens,
        outputTokens: outcome.outputTokens,
        ttftMs: outcome.ttftMs,
        durationMs: outcome.durationMs,
        credits: this.plan.answerCredits(outcome),
        costUsd: outcome.mock ? null : outcome.costUsd,
        searches: outcome.web?.searches ?? 0,
      });
    }
    return outcome;
  }
}
