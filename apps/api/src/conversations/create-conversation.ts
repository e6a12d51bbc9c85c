import { lockUserRow, type Sql } from '@compareintel/db';
import { AppError } from '@compareintel/shared';

export interface NewConversation {
  userId: number;
  inputData: string;
  modelsUsed: string[];
  type: 'comparison' | 'breakout';
  title?: string | null;
  parentConversationId?: number | null;
  breakoutModelId?: string | null;
}

/** What making room for one more conversation takes. */
export interface Eviction {
  /** Conversations the user has saved now. */
  saved: number;
  /** The ones to delete, least recently used first (never a pinned one, never `keep`). */
  doomed: number[];
  /** The limit is reached and too few conversations are unpinned to make room: refuse, evict nothing. */
  blocked: boolean;
}

/**
 * Which conversations a new one would evict under `limit`: the least recently used (by `updated_at`)
 * that are not pinned, skipping `keep` (a breakout's parent: what the new conversation continues from).
 * Counts without reading every id; reads ids only when something must go. Plain SQL: it runs on every
 * new comparison.
 */
export async function planEviction(
  sql: Sql,
  userId: number,
  limit: number,
  keep: number | null = null,
): Promise<Eviction> {
  const counted = await sql.first<{ saved: number | string }>(
    'select count(*) as saved from conversations where user_id = ?',
    [userId],
  );
  const saved = Number(counted?.saved ?? 0);
  const excess = saved + 1 - limit;
  if (excess <= 0) return { saved, doomed: [], blocked: false };
  const rows = await sql.all<{ id: number }>(
    `select c.id from conversations c
     where c.user_id = ?${keep === null ? '' : ' and c.id <> ?'}
       and not exists (select 1 from conversation_pins p where p.conversation_id = c.id)
     order by c.updated_at asc, c.id asc
     limit ?`,
    keep === null ? [userId, excess] : [userId, keep, excess],
  );
  if (rows.length < excess) return { saved, doomed: [], blocked: true };
  return { saved, doomed: rows.map((row) => row.id), blocked: false };
}

/**
 * Whether a new conversation (one with no parent to keep) is refused because only pinned ones could
 * make room: with `pinned >= limit` there are at most `saved - limit` unpinned ones, one short of what
 * the limit needs evicted. One count over the user's pins, before any credit is held.
 */
export async function pinsFillTheLimit(sql: Sql, userId: number, limit: number): Promise<boolean> {
  const counted = await sql.first<{ pinned: number | string }>(
    `select count(*) as pinned from conversation_pins p
     join conversations c on c.id = p.conversation_id
     where c.user_id = ?`,
    [userId],
  );
  return Number(counted?.pinned ?? 0) >= limit;
}

/** The refusal when every saved conversation that could make room is pinned. */
export function everythingPinned(limit: number): AppError {
  return new AppError(
    'CONFLICT',
    `You have ${limit} saved conversation${limit === 1 ? '' : 's'}, your plan's limit, and all of them are pinned. Unpin or delete one to start a new one.`,
  );
}

/**
 * Create a conversation within the tier's saved-conversation limit: when it would be exceeded, the
 * least recently used unpinned ones are deleted first, their messages with them (cascade). Pinned
 * conversations are never deleted: when only pinned ones could make room, nothing is created and the
 * caller gets CONFLICT. A breakout's parent is never the one deleted: it is what the new conversation
 * continues from.
 */
export async function createConversationWithinLimit(
  sql: Sql,
  conversation: NewConversation,
  limit: number,
): Promise<{ id: number }> {
  // Two conversations created at once must not both see room under the limit.
  await lockUserRow(sql, conversation.userId);
  const eviction = await planEviction(
    sql,
    conversation.userId,
    limit,
    conversation.parentConversationId ?? null,
  );
  if (eviction.blocked) throw everythingPinned(limit);
  if (eviction.doomed.length > 0) {
    await sql.run(
      `delete from conversations where id in (${eviction.doomed.map(() => '?').join(', ')})`,
      eviction.doomed,
    );
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
