import { type Db, sqlOn, type User } from '@compareintel/db';
import { AppError, TIERS, type TListConversationsInput } from '@compareintel/shared';
import { maskDetail, maskSummary } from '../arena/blind-labels';
import { assertRevealed, unrevealedConversations } from '../arena/blind-runs';
import { limitsTierOf } from '../credits/credit-pool';
import type { ModelRegistry } from '../models/registry';
import { breakoutTitle, MESSAGE_GRAPH, toDetail, toSummary } from './conversation-views';
import { createConversationWithinLimit } from './create-conversation';
import { findOwnConversation } from './own-conversation';

/** The user's conversations, most recently active first, a page at a time (cursor = last id seen). */
export async function listConversations(
  { db, user }: { db: Db; user: User },
  input: TListConversationsInput,
) {
  const query = db.models.Conversation.query()
    .where('conversations.user_id', user.id)
    .select('conversations.*')
    .select(db.models.Conversation.relatedQuery('messages').count().as('message_count'))
    .withGraphFetched('pin')
    .orderBy([
      { column: 'conversations.updated_at', order: 'desc' },
      { column: 'conversations.id', order: 'desc' },
    ])
    .limit(input.limit + 1);
  if (input.cursor) {
    const after = await db.models.Conversation.query().findOne({ id: input.cursor, user_id: user.id });
    if (after) {
      const at = after.updated_at.toISOString();
      query.where((q) =>
        q
          .where('conversations.updated_at', '<', at)
          .orWhere((q2) =>
            q2.where('conversations.updated_at', '=', at).andWhere('conversations.id', '<', after.id),
          ),
      );
    }
  }
  const rows = await query;
  const page = rows.slice(0, input.limit);
  const blind = await unrevealedConversations(
    db,
    page.map((row) => row.id),
  );
  return {
    items: page.map((row) => {
      const summary = toSummary(row, Number(Reflect.get(row, 'message_count') ?? 0));
      const labels = blind.get(row.id);
      return labels ? maskSummary(summary, labels) : summary;
    }),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    limit: TIERS[limitsTierOf(user)].savedConversations,
  };
}

export async function getConversation(
  { db, user, models }: { db: Db; user: User; models: ModelRegistry },
  id: number,
) {
  const conversation = await findOwnConversation(db, user, id);
  const [messages, pin, blind] = await Promise.all([
    db.models.ConversationMessage.query()
      .where('conversation_id', id)
      .withGraphFetched(MESSAGE_GRAPH)
      .orderBy('id'),
    db.models.ConversationPin.query().findById(id),
    unrevealedConversations(db, [id]),
  ]);
  const detail = toDetail(conversation, messages, pin !== undefined);
  // A blind comparison not voted on yet shows its labels, never the models (issue 17).
  const labels = blind.get(id);
  if (!labels) return detail;
  const names = new Map(
    [...labels.byModel.keys()].map((modelId) => [modelId, models.get(modelId)?.name ?? '']),
  );
  return maskDetail(detail, labels.runId, labels, names);
}

export async function renameConversation(
  { db, user }: { db: Db; user: User },
  input: { id: number; title: string },
) {
  const conversation = await findOwnConversation(db, user, input.id);
  await db.models.Conversation.query().patch({ title: input.title }).where('id', conversation.id);
  return { id: conversation.id, title: input.title };
}

export async function deleteConversation({ db, user }: { db: Db; user: User }, id: number) {
  const conversation = await findOwnConversation(db, user, id);
  await db.models.Conversation.query().deleteById(conversation.id);
  return { deleted: true };
}

/**
 * Continue with one model alone: a new `breakout` conversation pointing at its parent, starting with
 * that model's thread (every user turn and that model's answers, with how each ended), copied so the
 * parent can go. Titled "<model name> · <parent title>" so it is told apart from its parent.
 */
export async function breakoutConversation(
  { db, user, models }: { db: Db; user: User; models: ModelRegistry },
  input: { id: number; modelId: string },
) {
  const parent = await findOwnConversation(db, user, input.id);
  await assertRevealed(db, parent.id);
  const messages = await db.models.ConversationMessage.query()
    .where('conversation_id', parent.id)
    .withGraphFetched(MESSAGE_GRAPH)
    .orderBy('id');
  if (!messages.some((m) => m.role === 'assistant' && m.model_id === input.modelId)) {
    throw new AppError('BAD_REQUEST', 'That model has no answer in this conversation to continue from.');
  }
  const thread = messages.filter((m) => m.role === 'user' || m.model_id === input.modelId);
  const id = await db.knex.transaction(async (trx) => {
    const breakout = await createConversationWithinLimit(
      sqlOn(trx),
      {
        userId: user.id,
        inputData: parent.input_data,
        modelsUsed: [input.modelId],
        type: 'breakout',
        title: breakoutTitle(models.get(input.modelId)?.name ?? input.modelId, parent),
        parentConversationId: parent.id,
        breakoutModelId: input.modelId,
      },
      TIERS[limitsTierOf(user)].savedConversations,
    );
    for (const message of thread) {
      const copy = await db.models.ConversationMessage.query(trx).insert({
        conversation_id: breakout.id,
        model_id: message.model_id,
        role: message.role,
        content: message.content,
        input_tokens: message.input_tokens,
        output_tokens: message.output_tokens,
        success: message.success,
        processing_time_ms: message.processing_time_ms,
      });
      // How each answer ended and its figures (time to first token, credits, cost) go with it.
      if (message.detail) {
        await db.models.MessageDetail.query(trx).insert({
          message_id: copy.id,
          status: message.detail.status,
          error: message.detail.error,
          ttft_ms: message.detail.ttft_ms,
          credits: message.detail.credits,
          cost_usd: message.detail.cost_usd,
        });
      }
      // Its sources and tool calls too, so the breakout's answers still cite what they cited.
      if (message.sources?.length) {
        await trx('message_sources').insert(
          message.sources.map(({ position, kind, url, title }) => ({
            message_id: copy.id,
            position,
            kind,
            url,
            title,
          })),
        );
      }
      if (message.toolCalls?.length) {
        await trx('message_tool_calls').insert(
          message.toolCalls.map(({ position, tool, target, state, note }) => ({
            message_id: copy.id,
            position,
            tool,
            target,
            state,
            note,
          })),
        );
      }
    }
    return breakout.id;
  });
  return { conversationId: id };
}
