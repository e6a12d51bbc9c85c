import {
  type Db,
  recordPoolResize,
  resetCreditPeriodIfDue,
  type Transaction,
  type User,
  visitorPoolUsed,
} from '@compareintel/db';
import {
  AppError,
  effectiveLimitsTier,
  isTierId,
  nextDailyReset,
  nextMonthlyReset,
  type TCreditBalance,
  TIERS,
  type TierId,
} from '@compareintel/shared';
import { ipKey } from '../auth/rate-limits';
import { applyEndedPlan } from '../billing/subscription-changes';

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

/** The user's row as it is now (one plain statement; see packages/db sql.ts). */
async function readUser(db: Db, id: number): Promise<User> {
  const row = await db.sql.first('select * from users where id = ?', [id]);
  if (!row) throw new AppError('NOT_FOUND', 'This account no longer exists.');
  return db.models.User.fromDatabaseJson(row);
}

/**
 * The user's row as it is now, with a new pool started when the reset time has passed (computed at admission; no cron). The conditional
 * update makes concurrent callers reset it once. Returns the fresh row.
 */
export async function refreshCreditPeriod({ db, now }: { db: Db; now: Date }, known: User): Promise<User> {
  // Counters move under concurrent runs: always start from the row as it is now.
  let user = await readUser(db, known.id);
  // A cancelled plan ends with its paid period: back to free before the pool is looked at.
  if (await applyEndedPlan(db, user, now)) user = await readUser(db, known.id);
  if (user.credits_reset_at && user.credits_reset_at > now) return user;
  const preference = await db.models.UserPreference.query().findOne({ user_id: user.id });
  const pool = poolSizeOf(user);
  await resetCreditPeriodIfDue(db, user.id, {
    now,
    resetAt: nextResetFor(user, preference?.timezone ?? null, now),
    closingPool: pool,
    newPool: pool,
    overageAllowed: TIERS[limitsTierOf(user)].paid,
  });
  return readUser(db, user.id);
}

/**
 * Verifying the email lifts the account from the visitor pool's size to its tier's: the ledger gets the
 * difference as an allocation (call it in the transaction that sets `is_verified`).
 */
export async function recordVerifiedPool(trx: Transaction, user: User, at: Date): Promise<void> {
  if (user.is_verified) return;
  await recordPoolResize(trx, user.id, {
    from: poolSizeOf(user),
    to: poolSizeOf({ ...user, is_verified: true }),
    description: 'Email verified: the plan’s pool',
    at,
  });
}

/** A visitor as the daily visitor pool knows them: by IP address and browser fingerprint. */
export interface Visitor {
  ip: string;
  fingerprint: string | null;
}

/** The visitor pool's day: the UTC date, `YYYY-MM-DD` (it resets at midnight UTC). */
export function visitorDayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The pools a visitor's run is counted in: their IP address (IPv6 by /64) and their fingerprint. A run
 * must fit in every one of them, so neither a new fingerprint nor a new address buys a fresh pool.
 */
export function visitorPoolKeys(visitor: Visitor): string[] {
  const keys = [`ip:${ipKey(visitor.ip)}`];
  if (visitor.fingerprint) keys.push(`fp:${visitor.fingerprint}`);
  return keys;
}

/**
 * Whose runs draw on the shared daily visitor pool: visitors, and accounts that never verified their
 * email (so throwaway accounts add nothing to their IP's and fingerprint's pool).
 */
export function drawsOnVisitorPool(user: Pick<User, 'is_verified'> | null): boolean {
  return user === null || !user.is_verified;
}

/**
 * The balance of an account that draws on the visitor pool: never more left than the pool it shares
 * with its IP address (and fingerprint, when known) has left today.
 */
export async function sharedPoolBalance(
  { db, now }: { db: Db; now: Date },
  balance: TCreditBalance,
  visitor: Visitor,
): Promise<TCreditBalance> {
  const left = TIERS.anonymous.credits - (await visitorCreditsUsed({ db, now }, visitor));
  if (left >= balance.remaining) return balance;
  return { ...balance, used: balance.allocated - left, remaining: left };
}

/** Credits the visitor pool of these keys has spent today (charges and runs in flight). */
export async function visitorCreditsUsed(
  { db, now }: { db: Db; now: Date },
  visitor: Visitor,
): Promise<number> {
  return visitorPoolUsed(db, visitorPoolKeys(visitor), visitorDayOf(now));
}
