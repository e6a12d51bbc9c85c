import { type TConversationDetail, type TMessage, ZSource } from '@compareintel/shared';
import { z } from 'zod';
import type { LiveAnswer } from './run-store';

/**
 * A conversation as the compare page lays it out: the prompts in order and, per turn, each model's
 * answer. Built from `conversations.get` for signed-in users, or kept in localStorage for visitors (so
 * the schemas double as the storage format).
 */
export const ZStoredAnswer = z.object({
  text: z.string(),
  status: z.enum(['done', 'error', 'stopped']),
  error: z.string().nullable(),
  metrics: z.object({
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    ttftMs: z.number().nullable(),
    durationMs: z.number().nullable(),
    credits: z.number().nullable(),
    costUsd: z.number().nullable().optional(),
  }),
  /** Web search: absent from answers kept before it (and from answers that did not search). */
  sources: z.array(ZSource).optional(),
  searches: z.number().optional(),
  notes: z.array(z.string()).optional(),
});
export type StoredAnswer = z.infer<typeof ZStoredAnswer>;

export const ZTurn = z.object({
  prompt: z.string(),
  answers: z.record(z.string(), ZStoredAnswer.nullable()),
});
export type Turn = z.infer<typeof ZTurn>;

export interface ConversationView {
  /** Saved on the server (signed in), or kept in this browser (visitor), or neither yet. */
  serverId: number | null;
  localId: string | null;
  type: 'comparison' | 'breakout';
  title: string | null;
  models: string[];
  turns: Turn[];
  breakoutModelId: string | null;
  parentConversationId: number | null;
  /**
   * A blind comparison not voted on yet (issue 17): `models` are its labels ("Model A" …) and this is the
   * run to vote on (visitors prove it is theirs with `runSecret`). Null once revealed, or never blind.
   */
  blind: BlindRunRef | null;
}

export interface BlindRunRef {
  runId: string;
  runSecret: string | null;
}

/**
 * The conversation once its blind vote named the models: every label becomes the model id behind it, in
 * `models` and in each turn's answers, so the cards show the real names from then on.
 */
export function revealView(
  view: ConversationView,
  revealed: Readonly<Record<string, { modelId: string }>>,
): ConversationView {
  const idOf = (label: string) => revealed[label]?.modelId ?? label;
  return {
    ...view,
    blind: null,
    models: view.models.map(idOf),
    turns: view.turns.map((turn) => ({
      ...turn,
      answers: Object.fromEntries(
        Object.entries(turn.answers).map(([label, answer]) => [idOf(label), answer]),
      ),
    })),
  };
}

export function emptyView(models: string[]): ConversationView {
  return {
    serverId: null,
    localId: null,
    type: 'comparison',
    title: null,
    models,
    turns: [],
    breakoutModelId: null,
    parentConversationId: null,
    blind: null,
  };
}

function answerStatus(message: TMessage): StoredAnswer['status'] {
  if (message.status === 'stopped') return 'stopped';
  return message.success ? 'done' : 'error';
}

function answerFromMessage(message: TMessage | null): StoredAnswer | null {
  if (!message) return null;
  const status = answerStatus(message);
  // The reason is kept with the message; answers saved before it was are shown with a general one.
  const error = status === 'done' ? null : (message.error ?? 'This answer did not complete.');
  // An answer that failed before any text was saved with its reason as content: show it once.
  const text = status !== 'done' && message.content === message.error ? '' : message.content;
  return {
    text,
    status,
    error,
    metrics: {
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      ttftMs: message.ttftMs,
      durationMs: message.processingTimeMs,
      credits: message.credits,
      costUsd: message.costUsd,
    },
    sources: message.sources,
    searches: message.searches,
    notes: message.notes,
  };
}

export function viewFromDetail(detail: TConversationDetail): ConversationView {
  const models = [...detail.modelsUsed];
  for (const modelId of Object.keys(detail.threads)) if (!models.includes(modelId)) models.push(modelId);
  return {
    serverId: detail.id,
    localId: null,
    type: detail.type,
    title: detail.title,
    models,
    turns: detail.prompts.map((prompt, index) => ({
      prompt: prompt.content,
      answers: Object.fromEntries(
        models.map((modelId) => [modelId, answerFromMessage(detail.threads[modelId]?.[index] ?? null)]),
      ),
    })),
    breakoutModelId: detail.breakoutModelId,
    parentConversationId: detail.parentConversationId,
    blind: detail.blindRunId ? { runId: detail.blindRunId, runSecret: null } : null,
  };
}

/** A finished (or interrupted) live answer, as kept in the conversation. */
export function storedFromLive(answer: LiveAnswer): StoredAnswer {
  const interrupted = answer.status === 'waiting' || answer.status === 'streaming';
  return {
    text: answer.text,
    status: answer.status === 'done' || answer.status === 'stopped' ? answer.status : 'error',
    error: interrupted ? 'The answer was interrupted.' : answer.error,
    metrics: answer.metrics,
    sources: answer.sources,
    searches: answer.searches,
    notes: answer.notes,
  };
}

/** The text of one model's thread, for "copy": its answer to the latest turn that has one. */
export function latestAnswer(view: ConversationView, modelId: string): StoredAnswer | null {
  for (let index = view.turns.length - 1; index >= 0; index--) {
    const answer = view.turns[index]?.answers[modelId];
    if (answer) return answer;
  }
  return null;
}

/** Whether a model has a finished answer to continue from (breakout needs one). */
export function hasSuccessfulAnswer(view: ConversationView, modelId: string): boolean {
  return view.turns.some((turn) => turn.answers[modelId]?.status === 'done');
}

export function viewTitle(view: ConversationView): string {
  const first = view.turns[0]?.prompt.replace(/\s+/g, ' ').trim() ?? '';
  return view.title ?? (first.length > 80 ? `${first.slice(0, 80)}…` : first || 'New comparison');
}

/**
 * The view with `prompt` as its current (last) turn, for a run followed again after a reload: the
 * saved conversation has the prompt already (the API saves it when the run starts), a view kept in
 * this browser may not.
 */
export function withCurrentTurn(view: ConversationView, prompt: string): ConversationView {
  if (view.turns.at(-1)?.prompt === prompt) return view;
  return { ...view, turns: [...view.turns, { prompt, answers: {} }] };
}
