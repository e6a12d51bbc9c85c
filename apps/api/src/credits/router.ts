import { ZBrowserFingerprint, ZCreditBalance, ZId } from '@compareintel/shared';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { creditBalance, creditHistory, visitorBalance } from './credit-history';

const ZCreditHistoryItem = z.object({
  id: z.number().int(),
  type: z.string(),
  amount: z.number().int(),
  description: z.string().nullable(),
  createdAt: z.string(),
  usage: z
    .object({
      modelsUsed: z.array(z.string()),
      modelsSuccessful: z.number().int(),
      modelsFailed: z.number().int(),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      processingTimeMs: z.number().int().nullable(),
    })
    .nullable(),
});

export const creditsRouter = router({
  balance: authedProcedure
    .output(ZCreditBalance)
    .query(({ ctx }) => creditBalance({ ...ctx, now: ctx.now() })),
  /** A visitor's daily pool (by IP address and fingerprint), for the meter shown before the first run. */
  visitorBalance: publicProcedure
    .input(z.object({ fingerprint: ZBrowserFingerprint.optional() }).default({}))
    .output(ZCreditBalance)
    .query(({ ctx, input }) =>
      visitorBalance(
        { db: ctx.db, now: ctx.now() },
        { ip: ctx.request.ip, fingerprint: input.fingerprint ?? null },
      ),
    ),
  history: authedProcedure
    .input(
      z
        .object({
          cursor: ZId.nullish(),
          limit: z.number().int().min(1).max(100).default(25),
        })
        .default({ limit: 25 }),
    )
    .output(z.object({ items: z.array(ZCreditHistoryItem), nextCursor: z.number().int().nullable() }))
    .query(({ ctx, input }) => creditHistory(ctx, input)),
});
