import type { Knex } from 'knex';
import type { Db } from './client';
import type { Sql } from './sql';

/**
 * The atomic moves of a user's credit counters. They are conditional single-row updates, so two
 * comparisons at the same instant can never both take the last credits, on SQLite or PostgreSQL.
 */

/** A transaction or the plain connection. */
export type Queryable = Knex | Knex.Transaction;
export type Transaction = Knex.Transaction;

export interface PoolReset {
  now: Date;
  /** When the pool that starts now resets. */
  resetAt: Date;
  /** The size of the pool that ends (what it was allocated) and of the one that starts. */
  closingPool: number;
  newPool: number;
  /** Credits used past the closing pool were bought as overage (paid tiers). */
  overageAllowed: boolean;
}

/**
 * Start a new pool (used = 0, next reset at `resetAt`) when the current one's reset time has passed, with
 * the ledger rows that keep `credit_transactions` summing to the pool left: an `expiration` row for what
 * the old pool left unused (or a `purchase` row for overage credits bought past it) and an `allocation`
 * row for the new pool, all in one transaction. Credits held by runs still in flight are not counted as
 * used: those runs are charged in the new pool when they end. The overage counter starts again with the
 * pool (`overage_reset_date` = the day the new pool ends). Concurrent callers reset it once. Returns
 * whether this call reset it.
 */
export async function resetCreditPeriodIfDue(db: Db, userId: number, reset: PoolReset): Promise<boolean> {
  return db.knex.transaction(async (trx) => {
    const row = await trx('users')
      .where('id', userId)
      .andWhere((q) =>
        q.whereNull('credits_reset_at').orWhere('credits_reset_at', '<=', reset.now.toISOString()),
      )
      .forNoKeyUpdate()
      .first<
        { credits_used_this_period: number | string; credits_reset_at: string | Date | null } | undefined
      >('credits_used_this_period', 'credits_reset_at');
    if (!row) return false;
    const ledger: Array<{ type: string; amount: number; description: string }> = [];
    if (row.credits_reset_at !== null) {
      const held = await trx('credit_holds')
        .where({ user_id: userId, period_reset_at: new Date(row.credits_reset_at).toISOString() })
        .sum({ held: 'credits' })
        .first<{ held: number | string | null } | undefined>();
      const settled = Number(row.credits_used_this_period) - Number(held?.held ?? 0);
      const unused = reset.closingPool - settled;
      if (unused > 0)
        ledger.push({ type: 'expiration', amount: -unused, description: 'Unused credits expired' });
      if (unused < 0 && reset.overageAllowed) {
        ledger.push({ type: 'purchase', amount: -unused, description: 'Overage credits billed' });
      }
    }
    ledger.push({ type: 'allocation', amount: reset.newPool, description: 'New credit pool' });
    await trx('users')
      .where('id', userId)
      .update({
        credits_used_this_period: 0,
        credits_reset_at: reset.resetAt.toISOString(),
        monthly_overage_count: 0,
        overage_reset_date: reset.resetAt.toISOString().slice(0, 10),
        updated_at: reset.now.toISOString(),
      });
    // Overage is opted into per billing period: a new pool starts with it off and nothing used.
    await resetOverage(trx, userId, reset.now);
    const createdAt = reset.now.toISOString();
    await trx('credit_transactions').insert(
      ledger.map((entry) => ({
        user_id: userId,
        transaction_type: entry.type,
        credits_amount: entry.amount,
        description: entry.description,
        related_usage_log_id: null,
        created_at: createdAt,
      })),
    );
    return true;
  });
}

/**
 * A pool that changes size mid-period (verification, a tier change) is written to the ledger as the
 * difference, so the rows still sum to the pool left.
 */
export async function recordPoolResize(
  trx: Transaction,
  userId: number,
  change: { from: number; to: number; description: string; at: Date },
): Promise<void> {
  if (change.from === change.to) return;
  await trx('credit_transactions').insert({
    user_id: userId,
    transaction_type: 'allocation',
    credits_amount: change.to - change.from,
    description: change.description,
    related_usage_log_id: null,
    created_at: change.at.toISOString(),
  });
}

/** ` for no key update` on PostgreSQL; SQLite has no row locks (it runs one writer at a time). */
export function rowLock(sql: Sql, kind: 'no key update' | 'update' = 'no key update'): string {
  return sql.dialect === 'pg' ? ` for ${kind}` : '';
}

/**
 * Credits used in this period and when it resets, read under a row lock inside a charging transaction.
 * NO KEY UPDATE (PostgreSQL; nothing on SQLite) does not block foreign-key checks on the row, so a
 * concurrent insert of the user's conversation cannot deadlock with it.
 */
export interface CreditCounter {
  used: number;
  resetAt: Date | null;
}

export async function lockedCreditCounter(sql: Sql, userId: number): Promise<CreditCounter> {
  const row = await sql.first<{
    credits_used_this_period: number | string;
    credits_reset_at: string | Date | null;
  }>(`select credits_used_this_period, credits_reset_at from users where id = ?${rowLock(sql)}`, [userId]);
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
export async function lockUserRow(sql: Sql, userId: number): Promise<void> {
  // On SQLite the row lock does not exist: the read would buy nothing.
  if (sql.dialect !== 'pg') return;
  await sql.first(`select id from users where id = ?${rowLock(sql)}`, [userId]);
}

/** Replace a hold by the real charge, and count it in the lifetime total and the overage counter. */
export async function applyCharge(
  sql: Sql,
  userId: number,
  change: { held: number; charged: number; overageResponses: number },
): Promise<void> {
  await sql.run(
    `update users set credits_used_this_period = credits_used_this_period + ?,
       total_credits_used = total_credits_used + ?, monthly_overage_count = monthly_overage_count + ?
     where id = ?`,
    [change.charged - change.held, change.charged, change.overageResponses, userId],
  );
}

/** Overage off and its count back to 0 (a new billing period); the cap is kept as the next default. */
export async function resetOverage(queryable: Queryable, userId: number, now: Date): Promise<void> {
  await queryable('overage_settings')
    .where('user_id', userId)
    .update({ enabled: false, credits_used: 0, updated_at: now.toISOString() });
}
