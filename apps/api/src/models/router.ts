import { ZModelInfo, ZTierId } from '@compareintel/shared';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { listModelsFor } from './list-models';

export const ZModelForCaller = ZModelInfo.extend({
  endpoint: z.string().nullable(),
  available: z.boolean(),
  requiredTier: ZTierId.nullable(),
  unavailableReason: z.string().nullable(),
});

export const modelsRouter = router({
  list: publicProcedure
    .output(
      z.object({
        limitsTier: ZTierId,
        modelsPerComparison: z.number().int().positive(),
        models: z.array(ZModelForCaller),
      }),
    )
    .query(({ ctx }) => listModelsFor({ db: ctx.db, models: ctx.models }, ctx.user)),
});
