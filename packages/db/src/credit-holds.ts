import type { Db } from './client';
import { type CreditCounter, lockedCreditCounter, rowLock } from './credit-counters';
import type { CreditHold, HoldProgress } from './models/CreditHold';
import type { Sql } from './sql';

/**
 * Credit holds as rows, and the visitor pools they count in (migration 013). A hold is placed in one
 * transaction with the counters it raises, and claimed (deleted) in the transaction that charges it, so
 * every hold ends exactly once: settled by its run, or recovered after its process died.
 *
 * Lock order, the same everywhere, so concurrent admissions, conversation writes and settlements cannot
 * deadlock on PostgreSQL: the user's row, then the hold's row, then the visitor pool rows in key order.
 */

export interface NewCreditHold {
  id: string;
  owner: string;
  leaseExpiresAt: Date;
  userId: number | null;
  credits: number;
  /** The user's `credits_reset_at` (the pool the hold is counted in). */
  periodResetAt: Date | null;
  /** The user's pool, or the visitor pool for visitors. */
  poolSize: number;
  /**
   * The user opted in to overage this period (paid tiers only; visitor pools never): past the pool the
   * hold is admitted only while `overage_settings` has room under its cap for the part beyond the pool.
   */
  allowOverage: boolean;
  visitorDay: string | null;
  visitorKeys: readonly string[];
  visitorPoolSize: number;
  ip: string;
  fingerprint: string | null;
  inputLength: number;
  progress: HoldProgress;
}

class PoolExhausted extends Error {}

function sortedKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

/** Make sure each visitor key has a row for `day` (outside any transaction: rows only ever appear). */
async function ensureVisitorPools(sql: Sql, keys: readonly string[], day: string): Promise<void> {
  if (keys.length === 0) return;
  await sql.run(
    `insert into visitor_credit_pools (pool_key, day, credits_used) values ${keys.map(() => '(?, ?, 0)').join(', ')}
     on conflict (pool_key, day) do nothing`,
    keys.flatMap((key) => [key, day]),
  );
}

/**
 * Hold `credits` for a run: on the user's counter (only while the pool still has them, unless overage is
 * allowed) and on every visitor key's pool for the day (only while each still has them), and record the
 * hold row, all in one transaction. Returns false, having written nothing, when any pool falls short.
 */
export async function placeCreditHold(db: Db, hold: NewCreditHold): Promise<boolean> {
  const keys = sortedKeys(hold.visitorKeys);
  if (keys.length > 0 && hold.visitorDay) await ensureVisitorPools(db.sql, keys, hold.visitorDay);
  try {
    await db.transaction(async (sql) => {
      let overageCredits = 0;
      if (hold.userId !== null) {
        const inPool = await sql.run(
          `update users set credits_used_this_period = credits_used_this_period + ?
           where id = ? and ? - credits_used_this_period >= ?`,
          [hold.credits, hold.userId, hold.poolSize, hold.credits],
        );
        if (inPool !== 1) {
          if (!hold.allowOverage) throw new PoolExhausted();
          overageCredits = await takeOverageCredits(sql, hold.userId, hold.poolSize, hold.credits);
        }
      }
      for (const key of keys) {
        const changed = await sql.run(
          `update visitor_credit_pools set credits_used = credits_used + ?
           where pool_key = ? and day = ? and ? - credits_used >= ?`,
          [hold.credits, key, hold.visitorDay, hold.visitorPoolSize, hold.credits],
        );
        if (changed !== 1) throw new PoolExhausted();
      }
      const now = new Date();
      await sql.run(
        `insert into credit_holds (id, owner, lease_expires_at, user_id, conversation_id, credits,
           period_reset_at, pool_size, allow_overage, overage_credits, visitor_day, visitor_keys, ip_address,
           browser_fingerprint, input_length, progress, created_at, updated_at)
         values (?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          hold.id,
          hold.owner,
          hold.leaseExpiresAt,
          hold.userId,
          hold.credits,
          hold.periodResetAt,
          hold.poolSize,
          hold.allowOverage,
          overageCredits,
          keys.length > 0 ? hold.visitorDay : null,
          JSON.stringify(keys),
          hold.ip.slice(0, 45),
          hold.fingerprint,
          hold.inputLength,
          JSON.stringify(hold.progress),
          now,
          now,
        ],
      );
    });
    return true;
  } catch (error) {
    if (error instanceof PoolExhausted) return false;
    throw error;
  }
}

/**
 * Admit the part of a hold beyond the user's pool as overage: under the user's row lock, one conditional
 * update of `overage_settings` takes those credits only while overage is on and the cap still has room,
 * so concurrent admissions can never take more than the cap together. Returns the overage credits taken;
 * throws PoolExhausted (nothing written) when the cap has no room.
 */
async function takeOverageCredits(
  sql: Sql,
  userId: number,
  poolSize: number,
  credits: number,
): Promise<number> {
  const { used } = await lockedCreditCounter(sql, userId);
  const beyondPool = credits - Math.max(0, Math.min(credits, poolSize - used));
  const taken = await sql.run(
    `update overage_settings set credits_used = credits_used + ?
     where user_id = ? and enabled = ? and credits_used + ? <= cap_credits`,
    [beyondPool, userId, true, beyondPool],
  );
  if (taken !== 1) throw new PoolExhausted();
  await sql.run('update users set credits_used_this_period = credits_used_this_period + ? where id = ?', [
    credits,
    userId,
  ]);
  return beyondPool;
}

/** The most any of these visitor keys has used on `day` (charges and holds): what the shared pool has spent. */
export async function visitorPoolUsed(db: Db, keys: readonly string[], day: string): Promise<number> {
  if (keys.length === 0) return 0;
  const row = await db.sql.first<{ used: number | string | null }>(
    `select max(credits_used) as used from visitor_credit_pools
     where pool_key in (${keys.map(() => '?').join(', ')}) and day = ?`,
    [...keys, day],
  );
  return Number(row?.used ?? 0);
}

/** The visitor pools' use under row locks (PostgreSQL), in key order, inside a settling transaction. */
export async function lockedVisitorPoolUsed(sql: Sql, keys: readonly string[], day: string): Promise<number> {
  let used = 0;
  for (const key of sortedKeys(keys)) {
    const row = await sql.first<{ credits_used: number | string }>(
      `select credits_used from visitor_credit_pools where pool_key = ? and day = ?${rowLock(sql, 'update')}`,
      [key, day],
    );
    used = Math.max(used, Number(row?.credits_used ?? 0));
  }
  return used;
}

/** Move the visitor pools by `delta` (a charge replacing its hold: charge − held). */
export async function adjustVisitorPools(
  sql: Sql,
  keys: readonly string[],
  day: string,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  for (const key of sortedKeys(keys)) {
    await sql.run(
      'update visitor_credit_pools set credits_used = credits_used + ? where pool_key = ? and day = ?',
      [delta, key, day],
    );
  }
}

/** A hold taken out of the table, and its user's credit counter read under the user's row lock. */
export interface ClaimedHold {
  hold: CreditHold;
  counter: CreditCounter | null;
}

/**
 * Take the hold out of the table inside the transaction that charges it. Returns it, or null when it is
 * already gone (settled by its run, or recovered by another process): then nothing may be charged again.
 * On PostgreSQL a concurrent claimer waits on the row lock and then finds nothing.
 */
export async function claimCreditHold(
  sql: Sql,
  db: Db,
  id: string,
  /** The hold's user when the caller knows it (the run's own process): saves reading the hold first. */
  knownUserId?: number | null,
): Promise<ClaimedHold | null> {
  // The user's row first (the lock order above): a conversation write holding it may be deleting an
  // old conversation, which touches this hold's row through its ON DELETE SET NULL.
  let userId = knownUserId;
  if (userId === undefined) {
    const seen = await sql.first<{ user_id: number | null }>(
      'select user_id from credit_holds where id = ?',
      [id],
    );
    if (!seen) return null;
    userId = seen.user_id;
  }
  // Locked and read at once: the charge that follows needs the counter under this lock.
  const counter = userId === null ? null : await lockedCreditCounter(sql, userId);
  // Claiming is deleting: of processes settling the same run at once, one gets the row.
  const row = await sql.first('delete from credit_holds where id = ? returning *', [id]);
  if (!row) return null;
  const hold = db.models.CreditHold.fromDatabaseJson(row);
  if (hold.user_id !== userId) throw new Error(`credit hold ${id} belongs to another user than expected`);
  return { hold, counter };
}

/** The saved conversation a hold's answers go into, once it exists. */
export async function setHoldConversation(sql: Sql, id: string, conversationId: number): Promise<void> {
  await sql.run('update credit_holds set conversation_id = ? where id = ?', [conversationId, id]);
}

/** What the models have streamed so far, and a renewed lease. */
export async function saveHoldProgress(
  db: Db,
  id: string,
  progress: HoldProgress,
  leaseExpiresAt: Date,
): Promise<void> {
  await db.sql.run(
    'update credit_holds set progress = ?, lease_expires_at = ?, updated_at = ? where id = ?',
    [JSON.stringify(progress), leaseExpiresAt, new Date(), id],
  );
}

/**
 * The heartbeat of one process: the holds of the runs it still has in memory stay leased until
 * `leaseExpiresAt`. A hold whose run ended without being settled is not renewed, so it is recovered.
 */
export async function renewHoldLeases(
  db: Db,
  owner: string,
  ids: readonly string[],
  leaseExpiresAt: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  return db
    .knex('credit_holds')
    .where('owner', owner)
    .whereIn('id', [...ids])
    .update({ lease_expires_at: leaseExpiresAt.toISOString() });
}

/**
 * Give a hold back whole (the run could not start): the user's counter, when its pool has not been reset
 * since, and the visitor pools. Returns whether this call released it.
 */
export async function releaseCreditHold(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (sql) => {
    const claimed = await claimCreditHold(sql, db, id);
    if (!claimed) return false;
    const { hold } = claimed;
    if (hold.user_id !== null && hold.period_reset_at) {
      const samePeriod = await sql.run(
        `update users set credits_used_this_period = credits_used_this_period - ?
         where id = ? and credits_reset_at = ?`,
        [hold.credits, hold.user_id, hold.period_reset_at],
      );
      // A reset since the hold started the overage count again: nothing of this hold is in it any more.
      if (samePeriod === 1 && hold.overage_credits > 0) {
        await sql.run('update overage_settings set credits_used = credits_used - ? where user_id = ?', [
          hold.overage_credits,
          hold.user_id,
        ]);
      }
    }
    if (hold.visitor_day) await adjustVisitorPools(sql, hold.visitor_keys, hold.visitor_day, -hold.credits);
    return true;
  });
}

/**
 * Holds whose process is gone: the lease ran out, or the owner is one of `deadOwners` (processes known
 * to have exited, e.g. on this host). Runs this process still has in memory (`exceptIds`) are live. Oldest
 * first.
 */
export async function abandonedCreditHolds(
  db: Db,
  options: { now: Date; deadOwners?: readonly string[]; exceptIds?: readonly string[] },
): Promise<CreditHold[]> {
  const query = db.models.CreditHold.query().where((q) => {
    q.where('lease_expires_at', '<', options.now.toISOString());
    if (options.deadOwners && options.deadOwners.length > 0) q.orWhereIn('owner', [...options.deadOwners]);
  });
  if (options.exceptIds && options.exceptIds.length > 0) query.whereNotIn('id', [...options.exceptIds]);
  return query.orderBy('created_at');
}

/** Every distinct owner that has holds (to find dead processes among them). */
export async function creditHoldOwners(db: Db): Promise<string[]> {
  const rows: Array<{ owner: string }> = await db.knex('credit_holds').distinct('owner');
  return rows.map((row) => row.owner);
}
