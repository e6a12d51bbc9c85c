import {
  ZCompareEstimateInput,
  ZCompareEventsInput,
  ZCompareRunInput,
  ZCompareStarted,
  ZCompareStopInput,
  ZWebSearchStatus,
} from '@compareintel/shared';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { reportOverageSoon } from '../billing/report-overage';
import type { AppContext } from '../context';
import { publicProcedure, router } from '../trpc';
import { estimateComparison } from './estimate-comparison';
import { followRun, stopRun } from './follow-run';
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
    runEvents: ctx.runEvents,
    lifecycle: ctx.lifecycle,
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

  /**
   * Admit a comparison (checks, credit hold, saved prompt) and start its models; answers at once with the
   * run to follow in `compare.events`. Refusals (credits, tier, input) come back here, before anything ran.
   */
  start: publicProcedure
    .input(ZCompareRunInput)
    .output(ZCompareStarted)
    .mutation(({ ctx, input }) => startComparison(compareDeps(ctx), actorOf(ctx, input.fingerprint), input)),

  /**
   * A run's events over SSE, each with its id: a client that reconnects (with `lastEventId`) resumes
   * after the last event it got, on whichever API process it reaches. Closing the stream does not stop
   * the run (`compare.stop` does); only its owner may follow it.
   */
  events: publicProcedure.input(ZCompareEventsInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const { id, event } of followRun(ctx, input, signal)) yield tracked(id, event);
  }),

  // STUB (issue16-web): the lead replaces this with the real status (web search on, provider and key set).
  webSearchStatus: publicProcedure.output(ZWebSearchStatus).query(() => ({ enabled: false })),

  stop: publicProcedure
    .input(ZCompareStopInput)
    .output(z.object({ stopped: z.boolean() }))
    .mutation(({ ctx, input }) => stopRun(ctx, input)),
});
