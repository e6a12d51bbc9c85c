import type { Db, User } from '@compareintel/db';
import {
  AppError,
  isSubscriptionTier,
  overageCapCredits,
  overageChargeUsd,
  type TBillingInvoices,
  type TBillingStatus,
  TIERS,
  type TSetOverageInput,
} from '@compareintel/shared';
import type Stripe from 'stripe';
import { creditBalanceOf, refreshCreditPeriod } from '../credits/credit-pool';
import { paymentView } from './staff-summary';
import { tierOf } from './subscription-changes';

/** Plan, status, period, this period's credits and overage, as the billing settings show them. */
export async function billingStatus({
  db,
  stripe,
  user,
  now,
}: {
  db: Db;
  stripe: Stripe | null;
  user: User;
  now: Date;
}): Promise<TBillingStatus> {
  const fresh = await refreshCreditPeriod({ db, now }, user);
  const tier = tierOf(fresh);
  const billing = await db.models.BillingSubscription.query().findById(fresh.id);
  const overage = await db.models.OverageSetting.query().findById(fresh.id);
  const balance = creditBalanceOf(fresh);
  const pending = billing?.pending_tier;
  const used = overage?.credits_used ?? 0;
  return {
    configured: stripe !== null,
    tier,
    status: fresh.subscription_status,
    period: fresh.subscription_period === 'yearly' ? 'yearly' : 'monthly',
    periodStart: TIERS[tier].paid ? (fresh.billing_period_start?.toISOString() ?? null) : null,
    periodEnd: TIERS[tier].paid ? (fresh.billing_period_end?.toISOString() ?? null) : null,
    cancelAtPeriodEnd: billing?.cancel_at_period_end ?? false,
    pendingTier: pending && isSubscriptionTier(pending) ? pending : null,
    hasCustomer: fresh.stripe_customer_id !== null,
    credits: { allocated: balance.allocated, used: balance.used },
    overage: {
      available: TIERS[tier].paid,
      enabled: TIERS[tier].paid && (overage?.enabled ?? false),
      capUsd: overage?.cap_usd ?? 0,
      capCredits: overage?.cap_credits ?? 0,
      creditsUsed: used,
      usedUsd: overageChargeUsd(used),
    },
  };
}

/**
 * Opt in to (or out of) overage for the current billing period, with a USD cap. Paid tiers only. A cap
 * below what was already used simply admits no more overage.
 */
export async function setOverage(
  { db, user, now }: { db: Db; user: User; now: Date },
  input: TSetOverageInput,
): Promise<void> {
  const fresh = await refreshCreditPeriod({ db, now }, user);
  if (!TIERS[tierOf(fresh)].paid) {
    throw new AppError('FORBIDDEN', 'Overage is for paid plans: choose a plan on the pricing page first.');
  }
  if (input.enabled && input.capUsd <= 0) {
    throw new AppError('BAD_REQUEST', 'Set a spending cap above $0 to turn overage on.', {
      fieldErrors: { capUsd: ['Set a cap above $0'] },
    });
  }
  await db
    .knex('overage_settings')
    .insert({
      user_id: fresh.id,
      enabled: input.enabled,
      cap_usd: input.capUsd.toFixed(2),
      cap_credits: overageCapCredits(input.capUsd),
      credits_used: 0,
      updated_at: now.toISOString(),
    })
    .onConflict('user_id')
    .merge(['enabled', 'cap_usd', 'cap_credits', 'updated_at']);
}

/** The user's payments (payment_transactions) newest first. */
export async function listInvoices(
  { db, user }: { db: Db; user: User },
  input: { cursor?: number | null | undefined; limit: number },
): Promise<TBillingInvoices> {
  const query = db.models.PaymentTransaction.query()
    .where('user_id', user.id)
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.cursor) query.where('id', '<', input.cursor);
  const rows = await query;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(paymentView),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
