import type { Db } from '@compareintel/db';
import { type RecoveryDeps, recoverAbandonedRuns } from '../compare/run-recovery';
import { refreshCreditPeriod, visitorDayOf } from '../credits/credit-pool';

/** At most this many idle pools are reset per run (the next run takes the rest). */
const RESET_BATCH = 1000;

/**
 * Reset the pools of users who did not come back (resets otherwise happen lazily at admission), so the
 * ledger and the staff console are right for everyone: the same reset, with the same ledger rows.
 * The overage count starts again with the pool (`overage_reset_date`).
 */
export async function resetIdlePools(
  { db, now }: { db: Db; now: Date },
  { dryRun }: { dryRun: boolean },
): Promise<{ due: number; reset: number }> {
  const due = await db.models.User.query()
    .where((q) =>
      q
        .where('credits_reset_at', '<=', now.toISOString())
        .orWhere('overage_reset_date', '<=', now.toISOString().slice(0, 10)),
    )
    .orderBy('id')
    .limit(RESET_BATCH);
  if (dryRun) return { due: due.length, reset: 0 };
  let reset = 0;
  for (const user of due) {
    const before = user.credits_reset_at?.getTime() ?? null;
    const after = await refreshCreditPeriod({ db, now }, user);
    if ((after.credits_reset_at?.getTime() ?? null) !== before) reset += 1;
  }
  return { due: due.length, reset };
}

/**
 * Remove what has expired: sessions past their expiry, verification and reset tokens past theirs
 * (columns set to NULL), visitor pools of past days, and credit holds whose process is gone (settled
 * from what they saved, never just deleted).
 */
export async function cleanUp(
  deps: RecoveryDeps,
  { dryRun }: { dryRun: boolean },
): Promise<Record<string, number>> {
  const { db } = deps;
  const now = deps.now();
  const at = now.toISOString();
  const sessions = db.knex('sessions').where('expires_at', '<', at);
  const verification = db
    .knex('users')
    .whereNotNull('verification_token')
    .andWhere('verification_token_expires', '<', at);
  const reset = db.knex('users').whereNotNull('reset_token').andWhere('reset_token_expires', '<', at);
  // Yesterday's pools are kept a day for runs that straddled midnight.
  const yesterday = visitorDayOf(new Date(now.getTime() - 86_400_000));
  const pools = db.knex('visitor_credit_pools').where('day', '<', yesterday);
  if (dryRun) {
    const count = async (query: typeof sessions) =>
      Number((await query.clone().count({ n: '*' }).first<{ n: number | string }>())?.n ?? 0);
    return {
      expiredSessions: await count(sessions),
      expiredVerificationTokens: await count(verification),
      expiredResetTokens: await count(reset),
      oldVisitorPools: await count(pools),
      abandonedHoldsSettled: 0,
    };
  }
  return {
    expiredSessions: await sessions.delete(),
    expiredVerificationTokens: await verification.update({
      verification_token: null,
      verification_token_expires: null,
    }),
    expiredResetTokens: await reset.update({ reset_token: null, reset_token_expires: null }),
    oldVisitorPools: await pools.delete(),
    abandonedHoldsSettled: await recoverAbandonedRuns(deps),
  };
}
