import {
  ZBillingInvoices,
  ZBillingPlans,
  ZBillingStatus,
  ZCheckoutInput,
  ZRedirectUrl,
  ZSetOverageInput,
} from '@compareintel/shared';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { billingStatus, listInvoices, setOverage } from './billing-status';
import { createCheckout, openBillingPortal } from './create-checkout';
import { listPlans } from './list-plans';
import { requireStripe } from './stripe-gateway';

export const billingRouter = router({
  plans: publicProcedure.output(ZBillingPlans).query(({ ctx }) => listPlans(ctx)),
  createCheckout: authedProcedure
    .input(ZCheckoutInput)
    .output(ZRedirectUrl)
    .mutation(({ ctx, input }) => createCheckout(ctx, input)),
  portal: authedProcedure.output(ZRedirectUrl).mutation(({ ctx }) => openBillingPortal(ctx)),
  status: authedProcedure.output(ZBillingStatus).query(({ ctx }) => {
    requireStripe(ctx.stripe);
    return billingStatus({ ...ctx, now: ctx.now() });
  }),
  setOverage: authedProcedure
    .input(ZSetOverageInput)
    .output(ZBillingStatus)
    .mutation(async ({ ctx, input }) => {
      requireStripe(ctx.stripe);
      await setOverage({ ...ctx, now: ctx.now() }, input);
      return billingStatus({ ...ctx, now: ctx.now() });
    }),
  invoices: authedProcedure
    .input(z.object({ cursor: z.number().int().positive().nullish() }).default({}))
    .output(ZBillingInvoices)
    .query(({ ctx, input }) => {
      requireStripe(ctx.stripe);
      return listInvoices(ctx, { cursor: input.cursor, limit: 25 });
    }),
});
