import type { Db, User } from '@compareintel/db';
import { AppError } from '@compareintel/shared';

/** The user's own conversation; anyone else's (or none) is NOT_FOUND, never "forbidden" (no probing). */
export async function findOwnConversation(db: Db, user: User | null, id: number) {
  const conversation = user
    ? await db.models.Conversation.query().findOne({ id, user_id: user.id })
    : undefined;
  if (!conversation) throw new AppError('NOT_FOUND', 'That conversation does not exist or is not yours.');
  return conversation;
}
