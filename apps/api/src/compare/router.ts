import {
  type TCompareEvent,
  ZCompareEstimateInput,
  ZCompareRunInput,
  ZCompareStopInput,
} from '@compareintel/shared';
import { z } from 'zod';
import { reportOverageSoon } from '../billing/report-overage';
import type { AppContext } from '../context';
import { publicProcedure, router } from '../trpc';
import { estimateComparison } from './estimate-comparison';
import { ownerKeyOf } from './run-registry';
import { type CompareDeps, startComparison } from './start-comparison';

function actorOf(ctx: AppContext, fingerprint: string | undefined) {
  return { user: ctx.user, ip: ctx.request.ip, fingerprint: fingerprint ?? null };
}

function compareDeps(ctx: AppContext): CompareDeps {
  return {
    db: ctx.db,
    models: ctx.models,
    llm: ctx.llm,
    runs: ctx.runs,
    instance: ctx.instance,
    modelTimeoutMs: ctx.config.MODEL_TIMEOUT_MS,
    holdTiming: { progressMs: ctx.config.HOLD_PROGRESS_MS, leaseMs: ctx.config.HOLD_LEASE_MS },
    now: ctx.now,
    log: (error, message) => console.error(message, error),
    onOverageCharged: () => reportOverageSoon(ctx),
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
      const ownerKey = ownerKeyOf(ctx, input.runSecret ?? null);
      const run = ownerKey ? ctx.runs.find(input.runId, ownerKey) : undefined;
      return { stopped: run ? run.stop(input.modelId) : false };
    }),
});
