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
 * Start a new pool (used = 0, next reset at `resetAt`) when the current one's reset time has passed;
 * the overage counter starts again with it (`overage_reset_date` = the day the new pool ends).
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
      monthly_overage_count: 0,
      overage_reset_date: resetAt.toISOString().slice(0, 10),
      updated_at: now.toISOString(),
    });
  // Overage is opted into per billing period: a new pool starts with it off and nothing used.
  if (changed === 1) await resetOverage(db.knex, userId, now);
  return changed === 1;
}

/**
 * Credits used in this period and when it resets, read under a row lock inside a charging transaction.
 * NO KEY UPDATE (PostgreSQL; nothing on SQLite) does not block foreign-key checks on the row, so a
 * concurrent insert of the user's conversation cannot deadlock with it.
 */
export async function lockedCreditCounter(
  trx: Knex.Transaction,
  userId: number,
): Promise<{ used: number; resetAt: Date | null }> {
  const row = await trx('users')
    .where('id', userId)
    .forNoKeyUpdate()
    .first<{ credits_used_this_period: number; credits_reset_at: string | Date | null } | undefined>(
      'credits_used_this_period',
      'credits_reset_at',
    );
  const resetAt = row?.credits_reset_at;
  return {
    used: Number(row?.credits_used_this_period ?? 0),
    resetAt: resetAt ? new Date(resetAt) : null,
  };
}

/**
 * Take the user's row lock for the rest of the transaction (PostgreSQL; SQLite runs one writer at a
 * time anyway), so per-user rules that count rows first (e.g. the saved-conversation limit) cannot
 * both pass for two concurrent requests.
 */
export async function lockUserRow(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('users').where('id', userId).forNoKeyUpdate().first('id');
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

/** Overage off and its count back to 0 (a new billing period); the cap is kept as the next default. */
export async function resetOverage(queryable: Queryable, userId: number, now: Date): Promise<void> {
  await queryable('overage_settings')
    .where('user_id', userId)
    .update({ enabled: false, credits_used: 0, updated_at: now.toISOString() });
}
