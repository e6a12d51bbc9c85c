import type { Conversation, Db } from '@compareintel/db';
import { groupConversationMessages, type TMessage } from '@compareintel/shared';
import { MESSAGE_GRAPH, toMessage } from './conversation-views';

/**
 * A conversation's prompts and, per model, its answer to each (null: none), as the cards show them
 * (a retried answer replaces the older one). Models in the order they were chosen, then any other that
 * answered. Shared by the export and the public share page.
 */
export async function loadConversationTurns(db: Db, conversation: Conversation) {
  const rows = await db.models.ConversationMessage.query()
    .where('conversation_id', conversation.id)
    .withGraphFetched(MESSAGE_GRAPH)
    .orderBy('id');
  const { prompts, threads } = groupConversationMessages(rows.map(toMessage));
  const models = [
    ...conversation.models_used,
    ...Object.keys(threads).filter((id) => !conversation.models_used.includes(id)),
  ];
  return { prompts, threads, models };
}

/** What the answer said: a failure saved without text keeps its reason as content, which is not an answer. */
export function answerText(message: TMessage): string {
  return message.status !== 'done' && message.content === message.error ? '' : message.content;
}

/** "<title>", or the start of the first prompt for an untitled conversation. */
export function displayTitle(conversation: Conversation): string {
  if (conversation.title) return conversation.title;
  const flat = conversation.input_data.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat || 'Untitled';
}
