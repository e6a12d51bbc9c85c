import type { Db, User } from '@compareintel/db';
import { type TEvictionPreview, TIERS } from '@compareintel/shared';
import { maskSummary } from '../arena/blind-labels';
import { unrevealedConversations } from '../arena/blind-runs';
import { limitsTierOf } from '../credits/credit-pool';
import { toSummary } from './conversation-views';
import { planEviction } from './create-conversation';

/**
 * What the user's next new comparison (not a follow-up) would delete to stay within the tier's limit,
 * asked by the web app before it starts one so the user can cancel, pin or choose another. The answer is
 * advice: admission decides again (the same `planEviction`) when the comparison starts.
 */
export async function previewEviction({ db, user }: { db: Db; user: User }): Promise<TEvictionPreview> {
  const limit = TIERS[limitsTierOf(user)].savedConversations;
  const plan = await planEviction(db.sql, user.id, limit);
  const rows =
    plan.doomed.length === 0
      ? []
      : await db.models.Conversation.query()
          .whereIn('conversations.id', plan.doomed)
          .select('conversations.*')
          .select(db.models.Conversation.relatedQuery('messages').count().as('message_count'))
          .orderBy([
            { column: 'conversations.updated_at', order: 'asc' },
            { column: 'conversations.id', order: 'asc' },
          ]);
  const blind = await unrevealedConversations(
    db,
    rows.map((row) => row.id),
  );
  return {
    evicts: rows.map((row) => {
      const summary = toSummary(row, Number(Reflect.get(row, 'message_count') ?? 0), false);
      const labels = blind.get(row.id);
      return labels ? maskSummary(summary, labels) : summary;
    }),
    blocked: plan.blocked,
    limit,
    saved: plan.saved,
  };
}
