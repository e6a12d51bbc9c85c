import type { Db } from './client';
import { lockedCreditCounter, lockUserRow, type Queryable, type Transaction } from './credit-counters';
import type { CreditHold, HoldProgress } from './models/CreditHold';

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
async function ensureVisitorPools(db: Db, keys: readonly string[], day: string): Promise<void> {
  if (keys.length === 0) return;
  await db
    .knex('visitor_credit_pools')
    .insert(keys.map((key) => ({ pool_key: key, day, credits_used: 0 })))
    .onConflict(['pool_key', 'day'])
    .ignore();
}

/**
 * Hold `credits` for a run: on the user's counter (only while the pool still has them, unless overage is
 * allowed) and on every visitor key's pool for the day (only while each still has them), and record the
 * hold row, all in one transaction. Returns false, having written nothing, when any pool falls short.
 */
export async function placeCreditHold(db: Db, hold: NewCreditHold): Promise<boolean> {
  const keys = sortedKeys(hold.visitorKeys);
  if (keys.length > 0 && hold.visitorDay) await ensureVisitorPools(db, keys, hold.visitorDay);
  try {
    await db.knex.transaction(async (trx) => {
      let overageCredits = 0;
      if (hold.userId !== null) {
        const inPool = await trx('users')
          .where('id', hold.userId)
          .andWhereRaw('? - credits_used_this_period >= ?', [hold.poolSize, hold.credits])
          .increment('credits_used_this_period', hold.credits);
        if (inPool !== 1) {
          if (!hold.allowOverage) throw new PoolExhausted();
          overageCredits = await takeOverageCredits(trx, hold.userId, hold.poolSize, hold.credits);
        }
      }
      for (const key of keys) {
        const changed = await trx('visitor_credit_pools')
          .where({ pool_key: key, day: hold.visitorDay })
          .andWhereRaw('? - credits_used >= ?', [hold.visitorPoolSize, hold.credits])
          .increment('credits_used', hold.credits);
        if (changed !== 1) throw new PoolExhausted();
      }
      await db.models.CreditHold.query(trx).insert({
        id: hold.id,
        owner: hold.owner,
        lease_expires_at: hold.leaseExpiresAt,
        user_id: hold.userId,
        conversation_id: null,
        credits: hold.credits,
        period_reset_at: hold.periodResetAt,
        pool_size: hold.poolSize,
        allow_overage: hold.allowOverage,
        overage_credits: overageCredits,
        visitor_day: keys.length > 0 ? hold.visitorDay : null,
        visitor_keys: keys,
        ip_address: hold.ip.slice(0, 45),
        browser_fingerprint: hold.fingerprint,
        input_length: hold.inputLength,
        progress: hold.progress,
      });
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
  trx: Transaction,
  userId: number,
  poolSize: number,
  credits: number,
): Promise<number> {
  const { used } = await lockedCreditCounter(trx, userId);
  const beyondPool = credits - Math.max(0, Math.min(credits, poolSize - used));
  const taken = await trx('overage_settings')
    .where({ user_id: userId, enabled: true })
    .andWhereRaw('credits_used + ? <= cap_credits', [beyondPool])
    .increment('credits_used', beyondPool);
  if (taken !== 1) throw new PoolExhausted();
  await trx('users').where('id', userId).increment('credits_used_this_period', credits);
  return beyondPool;
}

/** The most any of these visitor keys has used on `day` (charges and holds): what the shared pool has spent. */
export async function visitorPoolUsed(db: Db, keys: readonly string[], day: string): Promise<number> {
  if (keys.length === 0) return 0;
  const row = await db
    .knex('visitor_credit_pools')
    .whereIn('pool_key', [...keys])
    .andWhere('day', day)
    .max({ used: 'credits_used' })
    .first<{ used: number | string | null } | undefined>();
  return Number(row?.used ?? 0);
}

/** The visitor pools' use under row locks (PostgreSQL), in key order, inside a settling transaction. */
export async function lockedVisitorPoolUsed(
  trx: Transaction,
  keys: readonly string[],
  day: string,
): Promise<number> {
  let used = 0;
  for (const key of sortedKeys(keys)) {
    const row = await trx('visitor_credit_pools')
      .where({ pool_key: key, day })
      .forUpdate()
      .first<{ credits_used: number | string } | undefined>('credits_used');
    used = Math.max(used, Number(row?.credits_used ?? 0));
  }
  return used;
}

/** Move the visitor pools by `delta` (a charge replacing its hold: charge − held). */
export async function adjustVisitorPools(
  trx: Transaction,
  keys: readonly string[],
  day: string,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  for (const key of sortedKeys(keys)) {
    await trx('visitor_credit_pools')
      .where({ pool_key: key, day })
      .update({ credits_used: trx.raw('credits_used + ?', [delta]) });
  }
}

/**
 * Take the hold out of the table inside the transaction that charges it. Returns it, or null when it is
 * already gone (settled by its run, or recovered by another process): then nothing may be charged again.
 * On PostgreSQL a concurrent claimer waits on the row lock and then finds nothing.
 */
export async function claimCreditHold(
  trx: Transaction,
  db: Db,
  id: string,
  /** The hold's user when the caller knows it (the run's own process): saves reading the hold first. */
  knownUserId?: number | null,
): Promise<CreditHold | null> {
  // The user's row first (the lock order above): a conversation write holding it may be deleting an
  // old conversation, which touches this hold's row through its ON DELETE SET NULL.
  let userId = knownUserId;
  if (userId === undefined) {
    const seen = await db.models.CreditHold.query(trx).findById(id);
    if (!seen) return null;
    userId = seen.user_id;
  }
  if (userId !== null) await lockUserRow(trx, userId);
  const hold = await db.models.CreditHold.query(trx).findById(id).forUpdate();
  if (!hold) return null;
  if (hold.user_id !== userId) throw new Error(`credit hold ${id} belongs to another user than expected`);
  // Claiming is deleting: of processes settling the same run at once, one gets the row.
  const deleted = await db.models.CreditHold.query(trx).deleteById(id);
  return deleted === 1 ? hold : null;
}

/** The saved conversation a hold's answers go into, once it exists. */
export async function setHoldConversation(
  queryable: Queryable,
  id: string,
  conversationId: number,
): Promise<void> {
  await queryable('credit_holds').where('id', id).update({ conversation_id: conversationId });
}

/** What the models have streamed so far, and a renewed lease. */
export async function saveHoldProgress(
  db: Db,
  id: string,
  progress: HoldProgress,
  leaseExpiresAt: Date,
): Promise<void> {
  await db
    .knex('credit_holds')
    .where('id', id)
    .update({
      progress: JSON.stringify(progress),
      lease_expires_at: leaseExpiresAt.toISOString(),
      updated_at: new Date().toISOString(),
    });
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
  return db.knex.transaction(async (trx) => {
    const hold = await claimCreditHold(trx, db, id);
    if (!hold) return false;
    if (hold.user_id !== null && hold.period_reset_at) {
      const samePeriod = await trx('users')
        .where({ id: hold.user_id, credits_reset_at: hold.period_reset_at.toISOString() })
        .decrement('credits_used_this_period', hold.credits);
      // A reset since the hold started the overage count again: nothing of this hold is in it any more.
      if (samePeriod === 1 && hold.overage_credits > 0) {
        await trx('overage_settings')
          .where('user_id', hold.user_id)
          .decrement('credits_used', hold.overage_credits);
      }
    }
    if (hold.visitor_day) await adjustVisitorPools(trx, hold.visitor_keys, hold.visitor_day, -hold.credits);
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
