import { z } from 'zod';
import { PAID_TIERS, SUBSCRIPTION_TIERS } from '../tiers';

export const BILLING_PERIODS = ['monthly', 'yearly'] as const;
export const ZBillingPeriod = z.enum(BILLING_PERIODS);
export type TBillingPeriod = z.infer<typeof ZBillingPeriod>;

export const ZPaidTier = z.enum(PAID_TIERS);
export const ZSubscriptionTier = z.enum(SUBSCRIPTION_TIERS);

/** The largest overage cap a user may set for one billing period. */
export const MAX_OVERAGE_CAP_USD = 10_000;

export const ZCheckoutInput = z.object({ tier: ZPaidTier, period: ZBillingPeriod });
export type TCheckoutInput = z.infer<typeof ZCheckoutInput>;

export const ZSetOverageInput = z.object({
  enabled: z.boolean(),
  /** USD, at most two decimals. */
  capUsd: z
    .number()
    .min(0)
    .max(MAX_OVERAGE_CAP_USD)
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'At most two decimals'),
});
export type TSetOverageInput = z.infer<typeof ZSetOverageInput>;

export const ZBillingPlan = z.object({
  tier: ZSubscriptionTier,
  label: z.string(),
  credits: z.number().int(),
  creditPeriod: z.enum(['day', 'month']),
  modelsPerComparison: z.number().int(),
  savedConversations: z.number().int(),
  priceMonthlyUsd: z.number(),
  priceYearlyUsd: z.number(),
  paid: z.boolean(),
});

export const ZBillingPlans = z.object({
  /** False when the server has no Stripe key: the page says so and offers no checkout. */
  configured: z.boolean(),
  currentTier: ZSubscriptionTier.nullable(),
  currentPeriod: ZBillingPeriod.nullable(),
  plans: z.array(ZBillingPlan),
});
export type TBillingPlans = z.infer<typeof ZBillingPlans>;

export const ZOverageStatus = z.object({
  available: z.boolean(),
  enabled: z.boolean(),
  capUsd: z.number(),
  creditsUsed: z.number().int(),
  usedUsd: z.number(),
  capCredits: z.number().int(),
});

export const ZBillingStatus = z.object({
  configured: z.boolean(),
  tier: ZSubscriptionTier,
  status: z.string(),
  period: ZBillingPeriod,
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  /** Set when the plan ends (cancelled) or changes (downgrade) at `periodEnd`. */
  cancelAtPeriodEnd: z.boolean(),
  pendingTier: ZSubscriptionTier.nullable(),
  hasCustomer: z.boolean(),
  credits: z.object({ allocated: z.number().int(), used: z.number().int() }),
  overage: ZOverageStatus,
});
export type TBillingStatus = z.infer<typeof ZBillingStatus>;

export const ZBillingInvoice = z.object({
  id: z.number().int(),
  stripeId: z.string().nullable(),
  amount: z.number(),
  currency: z.string(),
  status: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
});
export const ZBillingInvoices = z.object({
  items: z.array(ZBillingInvoice),
  nextCursor: z.number().int().nullable(),
});
export type TBillingInvoices = z.infer<typeof ZBillingInvoices>;

export const ZRedirectUrl = z.object({ url: z.url() });
