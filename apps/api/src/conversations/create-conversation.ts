import { type Conversation, type Db, lockUserRow, type Transaction } from '@compareintel/db';

export interface NewConversation {
  userId: number;
  inputData: string;
  modelsUsed: string[];
  type: 'comparison' | 'breakout';
  title?: string | null;
  parentConversationId?: number | null;
  breakoutModelId?: string | null;
}

/**
 * Create a conversation within the tier's saved-conversation limit: when it would be exceeded, the
 * oldest ones (by last update) are deleted first, their messages with them (cascade). A breakout's
 * parent is never the one deleted: it is what the new conversation continues from.
 */
export async function createConversationWithinLimit(
  { db, trx }: { db: Db; trx: Transaction },
  conversation: NewConversation,
  limit: number,
): Promise<Conversation> {
  const keep = conversation.parentConversationId ?? null;
  // Two conversations created at once must not both see room under the limit.
  await lockUserRow(trx, conversation.userId);
  const existing = await db.models.Conversation.query(trx)
    .where('user_id', conversation.userId)
    .modify((q) => {
      if (keep !== null) q.whereNot('id', keep);
    })
    .orderBy([
      { column: 'updated_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .select('id');
  const excess = existing.length + (keep === null ? 0 : 1) - (limit - 1);
  if (excess > 0) {
    await db.models.Conversation.query(trx)
      .whereIn(
        'id',
        existing.slice(0, excess).map((row) => row.id),
      )
      .delete();
  }
  return db.models.Conversation.query(trx).insert({
    user_id: conversation.userId,
    title: conversation.title ?? null,
    input_data: conversation.inputData,
    models_used: conversation.modelsUsed,
    conversation_type: conversation.type,
    parent_conversation_id: conversation.parentConversationId ?? null,
    breakout_model_id: conversation.breakoutModelId ?? null,
  });
}
