import { lockUserRow, type Sql } from '@compareintel/db';

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
  sql: Sql,
  conversation: NewConversation,
  limit: number,
): Promise<{ id: number }> {
  const keep = conversation.parentConversationId ?? null;
  // Two conversations created at once must not both see room under the limit.
  await lockUserRow(sql, conversation.userId);
  const existing = await sql.all<{ id: number }>(
    `select id from conversations where user_id = ?${keep === null ? '' : ' and id <> ?'}
     order by updated_at asc, id asc`,
    keep === null ? [conversation.userId] : [conversation.userId, keep],
  );
  const excess = existing.length + (keep === null ? 0 : 1) - (limit - 1);
  if (excess > 0) {
    const doomed = existing.slice(0, excess).map((row) => row.id);
    await sql.run(`delete from conversations where id in (${doomed.map(() => '?').join(', ')})`, doomed);
  }
  const now = new Date();
  const [created] = await sql.all<{ id: number }>(
    `insert into conversations (user_id, title, input_data, models_used, conversation_type,
       parent_conversation_id, breakout_model_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    [
      conversation.userId,
      conversation.title ?? null,
      conversation.inputData,
      JSON.stringify(conversation.modelsUsed),
      conversation.type,
      conversation.parentConversationId ?? null,
      conversation.breakoutModelId ?? null,
      now,
      now,
    ],
  );
  if (!created) throw new Error('the new conversation was not saved');
  return { id: created.id };
}
