import type { Db, User } from '@compareintel/db';
import type { TSetPinnedInput } from '@compareintel/shared';
import { findOwnConversation } from './own-conversation';

/**
 * Pin or unpin one of the user's own conversations (anyone else's is NOT_FOUND). A pinned conversation
 * is never deleted to make room under the saved-conversation limit. Pinning twice is harmless.
 */
export async function setConversationPinned({ db, user }: { db: Db; user: User }, input: TSetPinnedInput) {
  const conversation = await findOwnConversation(db, user, input.id);
  if (input.pinned) {
    await db.models.ConversationPin.query()
      .insert({ conversation_id: conversation.id })
      .onConflict('conversation_id')
      .ignore();
  } else {
    await db.models.ConversationPin.query().deleteById(conversation.id);
  }
  return { id: conversation.id, pinned: input.pinned };
}
