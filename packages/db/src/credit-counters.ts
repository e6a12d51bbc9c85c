import type { Knex } from 'knex';
import type { Db } from './client';

/**
 * The atomic moves of a user's credit counters. They are conditional single-row updates, so two
 * comparisons at the same instant can never both take the last credits, on SQLite or PostgreSQL.
 */

/** A transaction or the plain connection. */
export type Queryable = Knex | Knex.Transaction;
export type Transaction = Knex.Transaction;

/**
 * Start a new pool (used = 0, next reset at `resetAt`) when the current one's reset time has passed.
 * Concurrent callers reset it once. Returns whether this call reset it.
 */
export async function resetCreditPeriodIfDue(
  db: Db,
  userId: number,
  now: Date,
  resetAt: Date,
): Promise<boolean> {
  const changed = await db
    .knex('users')
    .where('id', userId)
    .andWhere((q) => q.whereNull('credits_reset_at').orWhere('credits_reset_at', '<=', now.toISOString()))
    .update({
      credits_used_this_period: 0,
      credits_reset_at: resetAt.toISOString(),
      updated_at: now.toISOString(),
    });
  return changed === 1;
}

/**
 * Hold `credits` in the user's pool: counted as used until the real charge replaces them. With a
 * `poolSize`, only when the pool still has them; with null (overage allowed), always.
 */
export async function holdCredits(
  db: Db,
  userId: number,
  credits: number,
  poolSize: number | null,
): Promise<boolean> {
  const query = db.knex('users').where('id', userId);
  if (poolSize !== null) query.andWhereRaw('? - credits_used_this_period >= ?', [poolSize, credits]);
  return (await query.increment('credits_used_this_period', credits)) === 1;
}

export async function releaseCredits(db: Db, userId: number, credits: number): Promise<void> {
  await db.knex('users').where('id', userId).decrement('credits_used_this_period', credits);
}

/** Credits used in this period, read under a row lock (PostgreSQL) inside a charging transaction. */
export async function lockedCreditsUsed(trx: Knex.Transaction, userId: number): Promise<number> {
  const row = await trx('users')
    .where('id', userId)
    .forUpdate()
    .first<{ credits_used_this_period: number } | undefined>('credits_used_this_period');
  return Number(row?.credits_used_this_period ?? 0);
}

/** Replace a hold by the real charge, and count it in the lifetime total and the overage counter. */
export async function applyCharge(
  trx: Knex.Transaction,
  userId: number,
  change: { held: number; charged: number; overageResponses: number },
): Promise<void> {
  await trx('users')
    .where('id', userId)
    .update({
      credits_used_this_period: trx.raw('credits_used_this_period + ?', [change.charged - change.held]),
      total_credits_used: trx.raw('total_credits_used + ?', [change.charged]),
      monthly_overage_count: trx.raw('monthly_overage_count + ?', [change.overageResponses]),
    });
}

/** Credits anonymous visitors spent since `since`, matched by IP or by browser fingerprint. */
export async function anonymousCreditsSince(
  db: Db,
  visitor: { ip: string; fingerprint: string | null },
  since: Date,
): Promise<number> {
  const row = await db
    .knex('usage_logs')
    .whereNull('user_id')
    .andWhere('created_at', '>=', since.toISOString())
    .andWhere((q) => {
      q.where('ip_address', visitor.ip);
      if (visitor.fingerprint) q.orWhere('browser_fingerprint', visitor.fingerprint);
    })
    .sum({ used: 'credits_used' })
    .first();
  return Number(row?.used ?? 0);
}
