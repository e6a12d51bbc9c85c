import { type Db, lockUserRow, resetOverage, sqlOn, type Transaction, type User } from '@compareintel/db';
import { isSubscriptionTier, SUBSCRIPTION_TIERS, type SubscriptionTier, TIERS } from '@compareintel/shared';
import { poolSizeOf } from '../credits/credit-pool';

/** The moves of a user's plan that webhooks make, each inside the event's transaction. */

export type HistoryReason = 'initial' | 'upgrade' | 'downgrade' | 'renewal' | 'cancellation';

export function tierOf(user: Pick<User, 'subscription_tier'>): SubscriptionTier {
  return isSubscriptionTier(user.subscription_tier) ? user.subscription_tier : 'free';
}

/** Positive when `to` is a higher plan than `from`. */
export function tierRank(tier: SubscriptionTier): number {
  return SUBSCRIPTION_TIERS.indexOf(tier);
}

export async function lockedUser(trx: Transaction, db: Db, userId: number): Promise<User | undefined> {
  await lockUserRow(sqlOn(trx), userId);
  return db.models.User.query(trx).findById(userId);
}

export async function recordHistory(
  trx: Transaction,
  db: Db,
  row: {
    userId: number;
    previousTier: string | null;
    newTier: string;
    period: string | null;
    amountPaid: number | null;
    stripeId: string | null;
    reason: HistoryReason;
  },
): Promise<void> {
  await db.models.SubscriptionHistory.query(trx).insert({
    user_id: row.userId,
    previous_tier: row.previousTier,
    new_tier: row.newTier,
    period: row.period,
    amount_paid: row.amountPaid,
    stripe_payment_id: row.stripeId,
    reason: row.reason,
  });
}

export async function recordCredits(
  trx: Transaction,
  db: Db,
  userId: number,
  type: 'allocation' | 'expiration' | 'refund',
  credits: number,
  description: string,
): Promise<void> {
  if (credits === 0) return;
  await db.models.CreditTransaction.query(trx).insert({
    user_id: userId,
    transaction_type: type,
    credits_amount: credits,
    description,
  });
}

/**
 * A new billing period on `tier`: the old pool's unused credits expire, the new pool is allocated whole,
 * the overage counters start again and overage is off until the user opts in for this period.
 */
export async function startBillingPeriod(
  trx: Transaction,
  db: Db,
  user: User,
  change: { tier: SubscriptionTier; period: string; start: Date; end: Date; now: Date },
): Promise<void> {
  // Whatever pool the user had (a paid period's, or the free daily one) ends here: its leftover expires,
  // so the ledger keeps summing to the pool left.
  const unused =
    user.credits_reset_at === null ? 0 : Math.max(0, poolSizeOf(user) - user.credits_used_this_period);
  await recordCredits(
    trx,
    db,
    user.id,
    'expiration',
    -unused,
    'Unused credits of the previous billing period',
  );
  const credits = TIERS[change.tier].credits;
  await db.models.User.query(trx)
    .patch({
      subscription_tier: change.tier,
      subscription_period: change.period,
      subscription_status: 'active',
      subscription_start_date: user.subscription_start_date ?? change.start,
      subscription_end_date: change.end,
      billing_period_start: change.start,
      billing_period_end: change.end,
      credits_reset_at: change.end,
      monthly_credits_allocated: credits,
      credits_used_this_period: 0,
      monthly_overage_count: 0,
      overage_reset_date: change.end.toISOString().slice(0, 10),
    })
    .where('id', user.id);
  await recordCredits(trx, db, user.id, 'allocation', credits, `${TIERS[change.tier].label} plan credits`);
  await resetOverage(trx, user.id, change.now);
}

/** An upgrade takes effect at once: the new tier and its whole pool, the credits used so far kept. */
export async function upgradeNow(
  trx: Transaction,
  db: Db,
  user: User,
  change: { tier: SubscriptionTier; period: string },
): Promise<void> {
  const credits = TIERS[change.tier].credits;
  const before =
    user.monthly_credits_allocated > 0 ? user.monthly_credits_allocated : TIERS[tierOf(user)].credits;
  await db.models.User.query(trx)
    .patch({
      subscription_tier: change.tier,
      subscription_period: change.period,
      monthly_credits_allocated: credits,
    })
    .where('id', user.id);
  await recordCredits(
    trx,
    db,
    user.id,
    'allocation',
    credits - before,
    `Upgrade to ${TIERS[change.tier].label}: the rest of its pool`,
  );
}

/**
 * Back to free once the paid period has ended (cancelled, or deleted by Stripe): the daily free pool
 * starts now. Returns whether the user was moved.
 */
export async function endPaidPlan(trx: Transaction, db: Db, user: User, now: Date): Promise<boolean> {
  if (!TIERS[tierOf(user)].paid) return false;
  if (user.billing_period_end && user.billing_period_end > now) return false;
  const unused = Math.max(0, user.monthly_credits_allocated - user.credits_used_this_period);
  await recordCredits(trx, db, user.id, 'expiration', -unused, 'Unused credits of the last paid period');
  await db.models.User.query(trx)
    .patch({
      subscription_tier: 'free',
      subscription_status: 'canceled',
      monthly_credits_allocated: TIERS.free.credits,
      credits_used_this_period: 0,
      // No pool until the next admission starts the free daily pool in the user's time zone (the ledger
      // then gets its allocation; the paid pool's leftover expired above).
      credits_reset_at: null,
    })
    .where('id', user.id);
  await db.models.BillingSubscription.query(trx)
    .patch({ pending_tier: null, pending_period: null })
    .where('user_id', user.id);
  await resetOverage(trx, user.id, now);
  return true;
}

/** Apply a cancelled plan's end when its period is over (called before a pool refresh). */
export async function applyEndedPlan(db: Db, user: User, now: Date): Promise<boolean> {
  if (user.subscription_status !== 'canceled' || !TIERS[tierOf(user)].paid) return false;
  if (user.billing_period_end && user.billing_period_end > now) return false;
  return db.knex.transaction(async (trx) => {
    const fresh = await lockedUser(trx, db, user.id);
    if (fresh?.subscription_status !== 'canceled') return false;
    return endPaidPlan(trx, db, fresh, now);
  });
}
