import { z } from 'zod';
import { withoutNul, ZId } from './common';
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

export const ZConversationDetail = ZConversationSummary.extend(ZConversationThreads.shape);
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
