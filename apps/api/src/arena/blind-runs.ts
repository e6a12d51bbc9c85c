import type { BlindRun, Db } from '@compareintel/db';
import { AppError } from '@compareintel/shared';
import type { ComparisonActor } from '../compare/assess-comparison';
import { assignLabels, type BlindLabels, blindLabelsOf } from './blind-labels';

/** Choose a blind run's labels at random and record them (with its owner) before the run is answered. */
export async function recordBlindRun(
  db: Db,
  run: {
    runId: string;
    userId: number | null;
    actor: Pick<ComparisonActor, 'ip' | 'fingerprint'>;
    ownerDigest: string;
    modelIds: readonly string[];
  },
): Promise<Record<string, string>> {
  const labels = assignLabels(run.modelIds);
  await db.models.BlindRun.query().insert({
    id: run.runId,
    user_id: run.userId,
    conversation_id: null,
    ip_address: run.actor.ip,
    browser_fingerprint: run.actor.fingerprint,
    owner_digest: run.ownerDigest,
    labels,
    usage_log_id: null,
    finished_at: null,
    revealed_at: null,
  });
  return labels;
}

/** The labels of the conversations (of these ids) whose blind run has not been revealed yet. */
export async function unrevealedConversations(
  db: Db,
  conversationIds: readonly number[],
): Promise<Map<number, BlindLabels & { runId: string }>> {
  if (conversationIds.length === 0) return new Map();
  const rows: BlindRun[] = await db.models.BlindRun.query()
    .whereIn('conversation_id', [...conversationIds])
    .whereNull('revealed_at');
  return new Map(
    rows.map((row) => [row.conversation_id ?? 0, { runId: row.id, ...blindLabelsOf(row.labels) }]),
  );
}

/** The labels of the usage logs (of these ids) that paid for a blind run not revealed yet. */
export async function unrevealedUsageLogs(
  db: Db,
  usageLogIds: readonly number[],
): Promise<Map<number, BlindLabels>> {
  if (usageLogIds.length === 0) return new Map();
  const rows: BlindRun[] = await db.models.BlindRun.query()
    .whereIn('usage_log_id', [...usageLogIds])
    .whereNull('revealed_at');
  return new Map(rows.map((row) => [row.usage_log_id ?? 0, blindLabelsOf(row.labels)]));
}

/** A run's labels when it is blind and not revealed (crash recovery relabels the ending it publishes). */
export async function unrevealedRunLabels(db: Db, runId: string): Promise<BlindLabels | null> {
  const row = await db.models.BlindRun.query().findById(runId);
  return row && row.revealed_at === null ? blindLabelsOf(row.labels) : null;
}

/**
 * A conversation whose blind run is not revealed yet cannot be continued (follow-up, retry, breakout):
 * its threads would carry the models' names into what comes next. Vote first.
 */
export async function assertRevealed(db: Db, conversationId: number): Promise<void> {
  const hidden = await db.models.BlindRun.query()
    .where('conversation_id', conversationId)
    .whereNull('revealed_at')
    .first();
  if (hidden) {
    throw new AppError(
      'CONFLICT',
      'This is a blind comparison: vote for the best answer first, then you can continue it.',
    );
  }
}
