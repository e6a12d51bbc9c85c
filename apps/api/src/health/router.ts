import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { checkHealth } from './check-health';

export const ZHealth = z.object({
  ok: z.boolean(),
  db: z.object({
    dialect: z.enum(['sqlite', 'pg']),
    reachable: z.boolean(),
    migration: z.string().nullable(),
  }),
  uptimeSeconds: z.number(),
});

export const healthRouter = router({
  check: publicProcedure.output(ZHealth).query(({ ctx }) => checkHealth({ db: ctx.db })),
});
