import { z } from 'zod';
import { withoutNul, ZId } from './common';
import { ZSource } from './compare';
import { ZModelId } from './model';
import { ZIsoDateTime } from './user';

const ZTokenCount = z.number().int().nonnegative();

export const ZConversationType = z.enum(['comparison', 'breakout']);
export type TConversationType = z.infer<typeof ZConversationType>;

export const ZMessageRole = z.enum(['user', 'assistant']);
export type TMessageRole = z.infer<typeof ZMessageRole>;

/** How a model's answer ended: finished, failed on the provider's side, or stopped (by the user or a cut). */
export const ZAnswerStatus = z.enum(['done', 'failed', 'stopped']);
export type TAnswerStatus = z.infer<typeof ZAnswerStatus>;

/** One `conversation_messages` row: a user turn (modelId null) or one model's answer. */
export const ZMessage = z.object({
  id: ZId,
  role: ZMessageRole,
  modelId: z.string().nullable(),
  content: z.string(),
  inputTokens: ZTokenCount.nullable(),
  outputTokens: ZTokenCount.nullable(),
  /** False for a model that failed; its content is then the reason shown on the card. */
  success: z.boolean(),
  processingTimeMs: z.number().int().nonnegative().nullable(),
  createdAt: ZIsoDateTime,
  /** Assistant answers: how it ended and why (a failure keeps its reason even after some text). */
  status: ZAnswerStatus.nullable().default(null),
  error: z.string().nullable().default(null),
  ttftMs: z.number().int().nonnegative().nullable().default(null),
  credits: z.number().nonnegative().nullable().default(null),
  /** USD the provider reported for this answer (null when it did not). */
  costUsd: z.number().nonnegative().nullable().default(null),
  /** Pages the model was given by web search / fetch_url while answering, in the order it got them. */
  sources: z.array(ZSource).default([]),
  /** Web searches this answer made (each costs `SEARCH_CREDITS_PER_CALL`). */
  searches: z.number().int().nonnegative().default(0),
  /** What the card said besides the answer (a failed search, why search was not used). */
  notes: z.array(z.string()).default([]),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZConversationSummary = z.object({
  id: ZId,
  /** The user's title; null until renamed (show `preview` instead). */
  title: z.string().nullable(),
  /** The start of the first prompt. */
  preview: z.string(),
  modelsUsed: z.array(z.string()),
  type: ZConversationType,
  parentConversationId: ZId.nullable(),
  breakoutModelId: z.string().nullable(),
  createdAt: ZIsoDateTime,
  updatedAt: ZIsoDateTime,
  messageCount: z.number().int().nonnegative(),
  /** Pinned conversations are never deleted to make room for new ones. */
  pinned: z.boolean(),
});
export type TConversationSummary = z.infer<typeof ZConversationSummary>;

/**
 * A conversation laid out for side-by-side cards: `prompts` are the user turns in order, and
 * `threads[modelId][i]` is that model's answer to `prompts[i]` (null when it has none, e.g. a model
 * added in a later turn). Build it with `groupConversationMessages`.
 */
export const ZConversationThreads = z.object({
  prompts: z.array(ZMessage),
  threads: z.record(z.string(), z.array(ZMessage.nullable())),
});
export type TConversationThreads = z.infer<typeof ZConversationThreads>;

export const ZConversationDetail = ZConversationSummary.extend(ZConversationThreads.shape).extend({
  /** A blind comparison not voted on yet (issue 17): its run, to vote on (`arena.vote`); else null. */
  blindRunId: z.string().nullable().default(null),
});
export type TConversationDetail = z.infer<typeof ZConversationDetail>;

export const ZConversationIdInput = z.object({ id: ZId });
export type TConversationIdInput = z.infer<typeof ZConversationIdInput>;

export const ZRenameConversationInput = z.object({
  id: ZId,
  title: withoutNul(z.string().trim().min(1, 'The title cannot be empty').max(255, 'The title is too long')),
});
export type TRenameConversationInput = z.infer<typeof ZRenameConversationInput>;

/** Newest first; `cursor` is the `nextCursor` of the previous page. */
export const ZListConversationsInput = z.object({
  cursor: ZId.nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type TListConversationsInput = z.infer<typeof ZListConversationsInput>;

export const ZConversationPage = z.object({
  items: z.array(ZConversationSummary),
  nextCursor: ZId.nullable(),
});
export type TConversationPage = z.infer<typeof ZConversationPage>;

/** Continue with one model alone, starting from its thread in conversation `id`. */
export const ZBreakoutInput = z.object({ id: ZId, modelId: ZModelId });
export type TBreakoutInput = z.infer<typeof ZBreakoutInput>;

/** Pin or unpin one of your conversations: a pinned one is never deleted to make room for a new one. */
export const ZSetPinnedInput = z.object({ id: ZId, pinned: z.boolean() });
export type TSetPinnedInput = z.infer<typeof ZSetPinnedInput>;

/**
 * What a new comparison (not a follow-up) would do to the saved history, asked before starting one:
 * `evicts` are the conversations the API would delete to make room (the least recently used ones that
 * are not pinned; usually one, more after a move to a plan that keeps fewer), empty when there is room;
 * `blocked` when the limit is reached and every saved conversation is pinned, so a new comparison is
 * refused until one is unpinned or deleted.
 */
export const ZEvictionPreview = z.object({
  evicts: z.array(ZConversationSummary),
  blocked: z.boolean(),
  limit: z.number().int().positive(),
  saved: z.number().int().nonnegative(),
});
export type TEvictionPreview = z.infer<typeof ZEvictionPreview>;

const MAX_IMPORTED_ANSWER_CHARS = 400_000;
const ZImportedCount = z.number().int('Must be a whole number').nonnegative('Cannot be negative').nullable();

/** One model's answer as a visitor's browser kept it (the web app's stored answer). */
export const ZImportedAnswer = z.object({
  text: withoutNul(z.string().max(MAX_IMPORTED_ANSWER_CHARS, 'The answer is too long')),
  /** `error` is the browser's word for a failed answer. */
  status: z.enum(['done', 'error', 'stopped']),
  error: withoutNul(z.string().max(2000, 'The error text is too long')).nullable(),
  metrics: z.object({
    inputTokens: ZImportedCount,
    outputTokens: ZImportedCount,
    ttftMs: ZImportedCount,
    durationMs: ZImportedCount,
    credits: z.number().nonnegative('Cannot be negative').nullable(),
  }),
});
export type TImportedAnswer = z.infer<typeof ZImportedAnswer>;

export const ZImportedTurn = z.object({
  prompt: withoutNul(
    z.string().trim().min(1, 'A prompt cannot be empty').max(100_000, 'The prompt is too long'),
  ),
  answers: z.record(ZModelId, ZImportedAnswer.nullable()),
});

/** The parts a conversation brought from elsewhere (a visitor's browser, an export file) is checked by. */
export const ZKeptTitle = withoutNul(z.string().trim().max(255, 'The title is too long')).nullable();
export const ZKeptModels = z
  .array(ZModelId)
  .min(1, 'A conversation has at least one model')
  .max(12, 'A conversation has at most 12 models');
export function keptTurns<Turn extends z.ZodType>(turn: Turn) {
  return z
    .array(turn)
    .min(1, 'A conversation has at least one prompt')
    .max(100, 'A conversation has at most 100 prompts');
}
/** `.refine(...answersFromItsModels)`: every answer of every turn comes from one of the listed models. */
export const answersFromItsModels: [
  (c: { models: string[]; turns: Array<{ answers: Record<string, unknown> }> }) => boolean,
  { message: string; path: string[] },
] = [
  (c) => c.turns.every((turn) => Object.keys(turn.answers).every((id) => c.models.includes(id))),
  { message: 'Every answer must come from one of the conversation’s models', path: ['turns'] },
];

/** A conversation a visitor kept in this browser, offered for import into their new account. */
export const ZImportedConversation = z
  .object({
    /** The browser's id for it: echoed in the result so the web app knows which ones moved. */
    localId: z.string().min(1, 'The local id is missing').max(64, 'The local id is too long'),
    title: ZKeptTitle,
    createdAt: ZIsoDateTime,
    updatedAt: ZIsoDateTime,
    models: ZKeptModels,
    turns: keptTurns(ZImportedTurn),
  })
  .refine(...answersFromItsModels);
export type TImportedConversation = z.infer<typeof ZImportedConversation>;

/** Per conversation sent: saved, already in the account (an earlier import), or left out by the limit. */
export const ZImportOutcome = z.enum(['imported', 'duplicate', 'over_limit']);
export type TImportOutcome = z.infer<typeof ZImportOutcome>;

export const ZImportConversationsResult = z.object({
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  results: z.array(
    z.object({ localId: z.string(), outcome: ZImportOutcome, conversationId: ZId.nullable() }),
  ),
});
export type TImportConversationsResult = z.infer<typeof ZImportConversationsResult>;
