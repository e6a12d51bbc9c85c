import { z } from 'zod';
import { withoutNul, ZId } from './common';
import { ZSource } from './compare';
import { ZAnswerStatus, ZConversationType } from './conversation';
import { ZIsoDateTime } from './user';

/** Link tokens: 32 random bytes as base64url. Anything else simply finds no link. */
export const SHARE_TOKEN_LENGTH = 43;
export const SHARE_EXPIRY_DAYS_MAX = 365;

export const ZShareCreateInput = z.object({
  conversationId: ZId,
  /** Days the link works; omitted: until revoked. */
  expiresInDays: z
    .number()
    .int('Must be a whole number of days')
    .min(1, 'At least 1 day')
    .max(SHARE_EXPIRY_DAYS_MAX, `At most ${SHARE_EXPIRY_DAYS_MAX} days`)
    .optional(),
});
export type TShareCreateInput = z.infer<typeof ZShareCreateInput>;

export const ZShareListInput = z.object({ conversationId: ZId });
export const ZShareRevokeInput = z.object({ id: ZId });
export const ZShareTokenInput = z.object({ token: z.string().min(1).max(128) });

/** One of the owner's links. `url` is relative to the web app (`/s/<token>`). */
export const ZShareLink = z.object({
  id: ZId,
  token: z.string(),
  url: z.string(),
  createdAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime.nullable(),
});
export type TShareLink = z.infer<typeof ZShareLink>;

/** One model's answer on a shared page: the text, how it ended and its figures, never what it cost. */
export const ZSharedAnswer = z.object({
  text: z.string(),
  status: ZAnswerStatus.nullable(),
  error: z.string().nullable(),
  metrics: z.object({
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    ttftMs: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
  }),
  sources: z.array(ZSource),
  searches: z.number().int().nonnegative(),
  notes: z.array(z.string()),
});
export type TSharedAnswer = z.infer<typeof ZSharedAnswer>;

/**
 * What anyone holding a link sees (`shares.get`). Deliberately without ids, credits, costs or anything
 * about the owner; zod strips whatever else a service might add. `answers[modelId][i]` answers
 * `prompts[i]` (null: that model has no answer to it).
 */
export const ZSharedConversation = z.object({
  title: z.string(),
  type: ZConversationType,
  createdAt: ZIsoDateTime,
  models: z.array(z.object({ id: z.string(), name: z.string() })),
  prompts: z.array(z.string()),
  answers: z.record(z.string(), z.array(ZSharedAnswer.nullable())),
});
export type TSharedConversation = z.infer<typeof ZSharedConversation>;

// ---------------------------------------------------------------------------------------------------
// Staff

export const SHARE_STATES = ['active', 'revoked', 'expired', 'taken_down'] as const;
export const ZShareState = z.enum(SHARE_STATES);
export type TShareState = z.infer<typeof ZShareState>;

export const ZAdminShareListInput = z.object({
  page: z.number().int('Page must be a whole number').min(1, 'Page starts at 1').max(100_000).default(1),
  perPage: z.number().int().min(1).max(100).default(25),
});
export type TAdminShareListInput = z.input<typeof ZAdminShareListInput>;

export const ZAdminShareRow = z.object({
  id: ZId,
  url: z.string(),
  conversationTitle: z.string(),
  ownerId: ZId,
  ownerEmail: z.string(),
  createdAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime.nullable(),
  state: ZShareState,
  takenDownAt: ZIsoDateTime.nullable(),
  takeDownReason: z.string().nullable(),
});
export type TAdminShareRow = z.infer<typeof ZAdminShareRow>;

export const ZAdminShareList = z.object({
  rows: z.array(ZAdminShareRow),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  perPage: z.number().int().positive(),
  totalPages: z.number().int().nonnegative(),
});
export type TAdminShareList = z.infer<typeof ZAdminShareList>;

export const ZAdminShareTakeDownInput = z.object({
  id: ZId,
  reason: withoutNul(z.string().trim().min(1, 'Give a reason').max(500, 'At most 500 characters')),
});
export type TAdminShareTakeDownInput = z.infer<typeof ZAdminShareTakeDownInput>;

/** Where a link stands at `now`: the first of taken down, revoked, expired that applies, else active. */
export function shareStateAt(
  link: { revokedAt: Date | null; takenDownAt: Date | null; expiresAt: Date | null },
  now: Date,
): TShareState {
  if (link.takenDownAt) return 'taken_down';
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
