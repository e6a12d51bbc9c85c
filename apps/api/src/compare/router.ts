import {
  type TCompareEvent,
  ZCompareEstimateInput,
  ZCompareRunInput,
  ZCompareStopInput,
} from '@compareintel/shared';
import { z } from 'zod';
import type { AppContext } from '../context';
import { publicProcedure, router } from '../trpc';
import { estimateComparison } from './estimate-comparison';
import { type CompareDeps, ownerKeyOf, startComparison } from './start-comparison';

function actorOf(ctx: AppContext, fingerprint: string | undefined) {
  return { user: ctx.user, ip: ctx.request.ip, fingerprint: fingerprint ?? null };
}

function compareDeps(ctx: AppContext): CompareDeps {
  return {
    db: ctx.db,
    models: ctx.models,
    llm: ctx.llm,
    runs: ctx.runs,
    anonymousHolds: ctx.anonymousHolds,
    modelTimeoutMs: ctx.config.MODEL_TIMEOUT_MS,
    now: ctx.now,
    log: (error, message) => console.error(message, error),
  };
}

export const ZEstimate = z.object({
  credits: z.number().int().nonnegative(),
  creditsRemaining: z.number().int(),
  canAfford: z.boolean(),
  modelsPerComparison: z.number().int().positive(),
});

export const compareRouter = router({
  estimate: publicProcedure
    .input(ZCompareEstimateInput)
    .output(ZEstimate)
    .query(({ ctx, input }) => estimateComparison(compareDeps(ctx), actorOf(ctx, input.fingerprint), input)),

  /** Streams typed events over SSE; closing the subscription stops every model. */
  run: publicProcedure.input(ZCompareRunInput).subscription(async function* ({ ctx, input, signal }) {
    const run = await startComparison(compareDeps(ctx), actorOf(ctx, input.fingerprint), input);
    try {
      const events: AsyncIterable<TCompareEvent> = run.events(signal);
      yield* events;
    } finally {
      // The client went away (or the run ended): nothing may keep streaming upstream for nobody.
      run.stop();
    }
  }),

  stop: publicProcedure
    .input(ZCompareStopInput)
    .output(z.object({ stopped: z.boolean() }))
    .mutation(({ ctx, input }) => {
      const run = ctx.runs.find(input.runId, ownerKeyOf(actorOf(ctx, undefined)));
      return { stopped: run ? run.stop(input.modelId) : false };
    }),
});
