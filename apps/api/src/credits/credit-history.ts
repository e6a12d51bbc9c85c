import type { Db, User } from '@compareintel/db';
import { type TCreditBalance, TIERS } from '@compareintel/shared';
import { type BlindLabels, labelOrder } from '../arena/blind-labels';
import { unrevealedUsageLogs } from '../arena/blind-runs';
import {
  creditBalanceOf,
  drawsOnVisitorPool,
  refreshCreditPeriod,
  sharedPoolBalance,
  type Visitor,
  visitorCreditsUsed,
} from './credit-pool';

/**
 * The caller's pool now (a due reset is applied first, so the numbers are never stale); an unverified
 * account sees what the visitor pool it shares with its IP address has left.
 */
export async function creditBalance({
  db,
  user,
  now,
  request,
}: {
  db: Db;
  user: User;
  now: Date;
  request: { ip: string };
}) {
  const fresh = await refreshCreditPeriod({ db, now }, user);
  const balance = creditBalanceOf(fresh);
  if (!drawsOnVisitorPool(fresh)) return balance;
  return sharedPoolBalance({ db, now }, balance, { ip: request.ip, fingerprint: null });
}

/**
 * A visitor's daily pool as the header's meter shows it before any run: what their IP address and
 * fingerprint have left today (runs in flight included), refilled at the next midnight UTC.
 */
export async function visitorBalance(
  { db, now }: { db: Db; now: Date },
  visitor: Visitor,
): Promise<TCreditBalance> {
  const allocated = TIERS.anonymous.credits;
  const used = Math.min(allocated, await visitorCreditsUsed({ db, now }, visitor));
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return { allocated, used, remaining: allocated - used, resetsAt: midnight.toISOString(), period: 'day' };
}

function labelledModels(modelIds: string[], labels: BlindLabels | undefined): string[] {
  return labels ? labelOrder(labels.byLabel) : modelIds;
}

/** Credit movements newest first, each usage one with the comparison it paid for. */
export async function creditHistory(
  { db, user }: { db: Db; user: User },
  input: { cursor?: number | null | undefined; limit: number },
) {
  const query = db.models.CreditTransaction.query()
    .where('user_id', user.id)
    .withGraphFetched('usageLog')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.cursor) query.where('id', '<', input.cursor);
  const rows = await query;
  const page = rows.slice(0, input.limit);
  // A blind comparison's charge names its models only after the vote (issue 17).
  const blind = await unrevealedUsageLogs(
    db,
    page.flatMap((row) => (row.usageLog ? [row.usageLog.id] : [])),
  );
  return {
    items: page.map((row) => ({
      id: row.id,
      type: row.transaction_type,
      amount: row.credits_amount,
      description: row.description,
      createdAt: row.created_at.toISOString(),
      usage: row.usageLog
        ? {
            modelsUsed: labelledModels(row.usageLog.models_used, blind.get(row.usageLog.id)),
            modelsSuccessful: row.usageLog.models_successful,
            modelsFailed: row.usageLog.models_failed,
            inputTokens: row.usageLog.input_tokens ?? 0,
            outputTokens: row.usageLog.output_tokens ?? 0,
            processingTimeMs: row.usageLog.processing_time_ms,
          }
        : null,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
