import type { Db } from '@compareintel/db';
import { AppError, type TMessage, type TSharedAnswer, type TSharedConversation } from '@compareintel/shared';
import { answerText, displayTitle, loadConversationTurns } from '../conversations/conversation-turns';
import type { ModelRegistry } from '../models/registry';

/** One message for everyone: a visitor cannot tell a revoked or expired link from one that never was. */
export const DEAD_LINK = 'This shared link does not exist or is no longer available.';

function sharedAnswer(message: TMessage): TSharedAnswer {
  return {
    text: answerText(message),
    status: message.status ?? (message.success ? 'done' : 'failed'),
    error: message.success ? message.error : (message.error ?? message.content),
    metrics: {
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      ttftMs: message.ttftMs,
      durationMs: message.processingTimeMs,
    },
    sources: message.sources,
    searches: message.searches,
    notes: message.notes,
  };
}

/**
 * What a link shows to anyone, signed in or not: the prompts and every model's answers with their
 * figures. Built field by field (and the router's zod output strips anything else), so no id, credit,
 * cost or anything about the owner can leave. NOT_FOUND, with the same words, for unknown, revoked,
 * expired and taken-down links.
 */
export async function readSharedConversation(
  { db, models, now }: { db: Db; models: ModelRegistry; now(): Date },
  token: string,
): Promise<TSharedConversation> {
  const link = await db.models.SharedLink.query()
    .findOne({ token })
    .modify('alive', now())
    .withGraphFetched('conversation');
  const conversation = link?.conversation;
  if (!link || !conversation) throw new AppError('NOT_FOUND', DEAD_LINK);
  const turns = await loadConversationTurns(db, conversation);
  return {
    title: displayTitle(conversation),
    type: conversation.conversation_type === 'breakout' ? 'breakout' : 'comparison',
    createdAt: conversation.created_at.toISOString(),
    models: turns.models.map((id) => ({ id, name: models.get(id)?.name ?? id })),
    prompts: turns.prompts.map((prompt) => prompt.content),
    answers: Object.fromEntries(
      turns.models.map((id) => [
        id,
        turns.prompts.map((_, index) => {
          const message = turns.threads[id]?.[index];
          return message ? sharedAnswer(message) : null;
        }),
      ]),
    ),
  };
}
