import { type Db, lockUserRow, sqlOn, type User } from '@compareintel/db';
import {
  isConversationExport,
  type TConversationExport,
  TIERS,
  type TImportConversationsInput,
  type TImportConversationsResult,
  type TImportedAnswer,
  type TImportedConversation,
  type TImportOutcome,
  type TSource,
} from '@compareintel/shared';
import type { Knex } from 'knex';
import { limitsTierOf } from '../credits/credit-pool';
import { textTokens } from '../providers/llm/tokens';

const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/** One conversation to save, from either shape `conversations.import` takes. */
interface ImportItem {
  localId: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  models: string[];
  turns: Array<{
    prompt: string;
    answers: Record<string, ImportAnswer | null | undefined>;
  }>;
}

interface ImportAnswer {
  text: string;
  /** As `message_details.status` keeps it. */
  status: 'done' | 'failed' | 'stopped';
  error: string | null;
  metrics: TImportedAnswer['metrics'];
  sources: TSource[];
}

/** A visitor's browser says `error` for a failed answer and keeps no sources. */
function fromVisitor(item: TImportedConversation): ImportItem {
  return {
    ...item,
    turns: item.turns.map((turn) => ({
      prompt: turn.prompt,
      answers: Object.fromEntries(
        Object.entries(turn.answers).map(([modelId, answer]) => [
          modelId,
          answer && { ...answer, status: answer.status === 'error' ? 'failed' : answer.status, sources: [] },
        ]),
      ),
    })),
  };
}

/** An export document (its position names it in the result: it has no browser id). */
function fromExport(doc: TConversationExport, position: number): ImportItem {
  const { conversation } = doc;
  return {
    localId: `export-${position}`,
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    models: conversation.models,
    turns: conversation.turns,
  };
}

/** An earlier import of the same conversation: same first prompt, created at the same instant. */
async function findImported(trx: Knex.Transaction, db: Db, userId: number, item: ImportItem) {
  const createdAt = earliest(new Date(item.createdAt), new Date());
  const first = item.turns[0]?.prompt ?? '';
  return db.models.Conversation.query(trx)
    .select('id')
    .where({ user_id: userId, input_data: first })
    .where('created_at', createdAt)
    .first();
}

async function saveImported(trx: Knex.Transaction, db: Db, userId: number, item: ImportItem) {
  const now = new Date();
  const createdAt = earliest(new Date(item.createdAt), now);
  // A clock ahead of ours must not make an imported conversation look the most recently used.
  const updatedAt = earliest(new Date(item.updatedAt), now);
  const conversation = await db.models.Conversation.query(trx).insert({
    user_id: userId,
    title: item.title ? item.title : null,
    input_data: item.turns[0]?.prompt ?? '',
    models_used: item.models,
    conversation_type: 'comparison',
    created_at: createdAt,
    updated_at: new Date(Math.max(createdAt.getTime(), updatedAt.getTime())),
  });
  for (const turn of item.turns) {
    await db.models.ConversationMessage.query(trx).insert({
      conversation_id: conversation.id,
      model_id: null,
      role: 'user',
      content: turn.prompt,
      input_tokens: textTokens(turn.prompt),
      success: true,
      created_at: createdAt,
    });
    for (const modelId of item.models) {
      const answer = turn.answers[modelId];
      if (!answer) continue;
      const status = answer.status;
      const message = await db.models.ConversationMessage.query(trx).insert({
        conversation_id: conversation.id,
        model_id: modelId,
        role: 'assistant',
        // As a run saves it: a failure without any text keeps its reason as the content.
        content: answer.text || (answer.error ?? ''),
        input_tokens: answer.metrics.inputTokens,
        output_tokens: answer.metrics.outputTokens,
        success: status === 'done',
        processing_time_ms: answer.metrics.durationMs,
        created_at: createdAt,
      });
      await db.models.MessageDetail.query(trx).insert({
        message_id: message.id,
        status,
        error: status === 'done' ? null : (answer.error ?? 'This answer did not complete.'),
        ttft_ms: answer.metrics.ttftMs,
        credits: answer.metrics.credits,
        cost_usd: null,
      });
      if (answer.sources.length > 0) {
        await trx('message_sources').insert(
          answer.sources.map(({ url, title }, position) => ({
            message_id: message.id,
            position,
            kind: 'search',
            url,
            title,
          })),
        );
      }
    }
  }
  return conversation.id;
}

/**
 * Bring a visitor's conversations (kept in their browser) into the account they just signed up or
 * signed in to, with every answer, its status, reason, timings and credits; or conversations exported
 * as JSON (version 1 documents, which also carry sources; saved as comparisons). Rules:
 * - within the tier's saved-conversation limit, never evicting what the account already holds: the
 *   newest (by last use) are imported while there is room, the rest are reported `over_limit`;
 * - nothing is charged (the answers were paid for as a visitor);
 * - idempotent: a conversation sent twice (in one request, or again after a double click or a retry) is
 *   recognised by its first prompt and creation time and reported `duplicate`, never saved twice;
 * - one transaction, under the user's row lock (as conversation creation), so concurrent imports and
 *   comparisons cannot both take the last free slot.
 */
export async function importConversations(
  { db, user }: { db: Db; user: User },
  input: TImportConversationsInput,
): Promise<TImportConversationsResult> {
  const limit = TIERS[limitsTierOf(user)].savedConversations;
  const seen = new Set<string>();
  const items = input.conversations.map((item, position) =>
    isConversationExport(item) ? fromExport(item, position) : fromVisitor(item),
  );
  const unique = items.filter((item) => !seen.has(item.localId) && seen.add(item.localId));
  const newestFirst = [...unique].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));

  const outcomes = await db.knex.transaction(async (trx) => {
    await lockUserRow(sqlOn(trx), user.id);
    const saved = await db.models.Conversation.query(trx).where('user_id', user.id).resultSize();
    let free = Math.max(0, limit - saved);
    const byLocalId = new Map<string, { outcome: TImportOutcome; conversationId: number | null }>();
    for (const item of newestFirst) {
      const earlier = await findImported(trx, db, user.id, item);
      if (earlier) {
        byLocalId.set(item.localId, { outcome: 'duplicate', conversationId: earlier.id });
      } else if (free > 0) {
        free -= 1;
        byLocalId.set(item.localId, {
          outcome: 'imported',
          conversationId: await saveImported(trx, db, user.id, item),
        });
      } else {
        byLocalId.set(item.localId, { outcome: 'over_limit', conversationId: null });
      }
    }
    return byLocalId;
  });

  const results = unique.map((item) => ({
    localId: item.localId,
    outcome: outcomes.get(item.localId)?.outcome ?? 'over_limit',
    conversationId: outcomes.get(item.localId)?.conversationId ?? null,
  }));
  const imported = results.filter((result) => result.outcome === 'imported').length;
  return { imported, skipped: input.conversations.length - imported, limit, results };
}
