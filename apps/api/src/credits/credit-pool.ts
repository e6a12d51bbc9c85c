import {
  anonymousCreditsSince,
  type Db,
  holdCredits,
  resetCreditPeriodIfDue,
  type User,
} from '@compareintel/db';
import {
  effectiveLimitsTier,
  isTierId,
  nextDailyReset,
  nextMonthlyReset,
  type TCreditBalance,
  TIERS,
  type TierId,
} from '@compareintel/shared';

/** The tier whose limits apply to a registered user now (anonymous limits until verified). */
export function limitsTierOf(user: Pick<User, 'subscription_tier' | 'is_verified'>): TierId {
  const tier = isTierId(user.subscription_tier) ? user.subscription_tier : 'free';
  return effectiveLimitsTier({ tier, isVerified: user.is_verified, isAnonymous: false });
}

/**
 * Credits in the user's pool: the anonymous pool while unverified, else what the tier allocated
 * (`monthly_credits_allocated`, or the tier's table value when nothing was allocated yet).
 */
export function poolSizeOf(
  user: Pick<User, 'subscription_tier' | 'is_verified' | 'monthly_credits_allocated'>,
) {
  const limitsTier = limitsTierOf(user);
  if (limitsTier === 'anonymous') return TIERS.anonymous.credits;
  return user.monthly_credits_allocated > 0 ? user.monthly_credits_allocated : TIERS[limitsTier].credits;
}

export function creditBalanceOf(user: User): TCreditBalance {
  const allocated = poolSizeOf(user);
  const used = user.credits_used_this_period;
  return {
    allocated,
    used,
    remaining: allocated - used,
    resetsAt: user.credits_reset_at ? user.credits_reset_at.toISOString() : null,
    period: TIERS[limitsTierOf(user)].period,
  };
}

/** When the pool that starts now resets: next local midnight for daily pools, the billing end for monthly. */
export function nextResetFor(user: User, timeZone: string | null, now: Date): Date {
  return TIERS[limitsTierOf(user)].period === 'day'
    ? nextDailyReset(now, timeZone)
    : nextMonthlyReset(user.billing_period_end, now);
}

/**
 * The user's row as it is now, with a new pool started when the reset time has passed (computed at admission; no cron). The conditional
 * update makes concurrent callers reset it once. Returns the fresh row.
 */
export async function refreshCreditPeriod({ db, now }: { db: Db; now: Date }, known: User): Promise<User> {
  // Counters move under concurrent runs: always start from the row as it is now.
  const user = await db.models.User.query().findById(known.id).throwIfNotFound();
  if (user.credits_reset_at && user.credits_reset_at > now) return user;
  const preference = await db.models.UserPreference.query().findOne({ user_id: user.id });
  await resetCreditPeriodIfDue(db, user.id, now, nextResetFor(user, preference?.timezone ?? null, now));
  return db.models.User.query().findById(user.id).throwIfNotFound();
}

/**
 * Hold `credits` of a registered user's pool for a run, atomically: the row is only changed when the
 * pool still has them (paid tiers may go into overage). Two runs at the same instant can never both
 * take the last credits. Returns false when the pool cannot cover it.
 */
export function reserveCredits(
  { db }: { db: Db },
  user: User,
  credits: number,
  { allowOverage }: { allowOverage: boolean },
): Promise<boolean> {
  return holdCredits(db, user.id, credits, allowOverage ? null : poolSizeOf(user));
}

/** Start of the anonymous pool's day (UTC) and its reset. */
export function anonymousDay(now: Date): { start: Date; resetsAt: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { start, resetsAt: new Date(start.getTime() + 86_400_000) };
}

/** Credits an anonymous visitor spent today, matched by IP or by browser fingerprint. */
export async function anonymousCreditsUsed(
  { db, now }: { db: Db; now: Date },
  visitor: { ip: string; fingerprint: string | null },
): Promise<number> {
  return Math.ceil(await anonymousCreditsSince(db, visitor, anonymousDay(now).start));
}
