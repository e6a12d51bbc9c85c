/**
 * A long-standing user's history, bulk-inserted with knex in batches: `count` conversations over the past
 * two years (3 models each, newest first in time order, updated a few minutes after creation), the
 * messages of the newest ones (what the first pages count), and `count` credit transactions over the
 * same two years: a monthly allocation, the rest usage. As in production after the retention job
 * (RETENTION_DAYS = 90), only usage of the last 60 days still has its usage_logs row; older usage rows
 * have related_usage_log_id NULL.
 */
import type { Db } from '@compareintel/db';
import { TIERS } from '@compareintel/shared';

/** Rows per insert: ~5,000, fewer for wide rows (PostgreSQL takes at most 65,535 bound values). */
const BATCH = 5000;
const MAX_BINDINGS = 60_000;
const SPAN_MS = 2 * 365 * 86_400_000;
const KEPT_USAGE_MS = 60 * 86_400_000;
const MONTH_MS = 30 * 86_400_000;
const WITH_MESSAGES = 500;

const PROMPTS = [
  'Explain the difference between a mutex and a semaphore, with an example in Go.',
  'Write a haiku about database indexes.',
  'Summarize the causes of the 2008 financial crisis in five bullet points.',
  'What are the trade-offs between server-sent events and WebSockets for streaming?',
];
const ANSWER = 'A considered answer, a few paragraphs long, as a model would stream it. '.repeat(12);

async function insertInBatches<T extends object>(db: Db, table: string, rows: T[]): Promise<void> {
  const batch = Math.min(BATCH, Math.floor(MAX_BINDINGS / Object.keys(rows[0] ?? {}).length));
  for (let start = 0; start < rows.length; start += batch) {
    await db.knex(table).insert(rows.slice(start, start + batch));
  }
}

/** Times spread evenly over the span, oldest first, ending a minute ago. */
function spread(count: number, now: number): number[] {
  const step = SPAN_MS / count;
  return Array.from({ length: count }, (_, i) => now - 60_000 - SPAN_MS + i * step);
}

export async function seedHistory(
  db: Db,
  userId: number,
  models: string[],
  count: number,
): Promise<{ conversationIds: number[]; transactionIds: number[] }> {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const conversationTimes = spread(count, now);
  await insertInBatches(
    db,
    'conversations',
    conversationTimes.map((at, i) => ({
      user_id: userId,
      title: `${PROMPTS[i % PROMPTS.length]?.slice(0, 40)} #${i}`,
      input_data: PROMPTS[i % PROMPTS.length],
      models_used: JSON.stringify(models),
      conversation_type: 'comparison',
      created_at: iso(at),
      updated_at: iso(at + ((i * 7919) % 600_000)),
    })),
  );
  const conversations: Array<{ id: number }> = await db
    .knex('conversations')
    .where('user_id', userId)
    .orderBy('id')
    .select('id');
  const conversationIds = conversations.map((row) => Number(row.id));
  await insertInBatches(
    db,
    'conversation_messages',
    conversationIds.slice(-WITH_MESSAGES).flatMap((conversationId, i) => [
      {
        conversation_id: conversationId,
        model_id: null,
        role: 'user',
        content: PROMPTS[i % PROMPTS.length],
        input_tokens: 20,
        output_tokens: null,
        success: true,
        processing_time_ms: null,
      },
      ...models.map((model) => ({
        conversation_id: conversationId,
        model_id: model,
        role: 'assistant',
        content: ANSWER,
        input_tokens: null,
        output_tokens: 180,
        success: true,
        processing_time_ms: 4200,
      })),
    ]),
  );

  const transactionTimes = spread(count, now);
  const kept = transactionTimes.filter((at) => at >= now - KEPT_USAGE_MS);
  await insertInBatches(
    db,
    'usage_logs',
    kept.map((at) => ({
      user_id: userId,
      ip_address: '127.0.0.1',
      models_used: JSON.stringify(models),
      input_length: 80,
      models_requested: models.length,
      models_successful: models.length,
      input_tokens: 20 * models.length,
      output_tokens: 180 * models.length,
      total_tokens: 200 * models.length,
      effective_tokens: 200 * models.length,
      credits_used: 3,
      actual_cost: 0.0042,
      estimated_cost: 0.005,
      processing_time_ms: 4200,
      created_at: iso(at),
    })),
  );
  const logs: Array<{ id: number }> = await db
    .knex('usage_logs')
    .where('user_id', userId)
    .orderBy('id')
    .select('id');
  const logIdAt = new Map(kept.map((at, i) => [at, Number(logs[i]?.id)]));
  let nextAllocation = transactionTimes[0] ?? now;
  await insertInBatches(
    db,
    'credit_transactions',
    transactionTimes.map((at) => {
      const allocation = at >= nextAllocation;
      if (allocation) nextAllocation += MONTH_MS;
      return allocation
        ? {
            user_id: userId,
            transaction_type: 'allocation',
            credits_amount: TIERS.pro_plus.credits,
            description: 'New credit pool',
            related_usage_log_id: null,
            created_at: iso(at),
          }
        : {
            user_id: userId,
            transaction_type: 'usage',
            credits_amount: -3,
            description: `Comparison of ${models.length} models`,
            related_usage_log_id: logIdAt.get(at) ?? null,
            created_at: iso(at),
          };
    }),
  );
  const transactions: Array<{ id: number }> = await db
    .knex('credit_transactions')
    .where('user_id', userId)
    .orderBy('id')
    .select('id');
  // Production's tables have planner statistics (autovacuum keeps them): give these theirs now.
  if (db.dialect === 'pg') {
    await db.knex.raw('analyze conversations, conversation_messages, usage_logs, credit_transactions');
  }
  return { conversationIds, transactionIds: transactions.map((row) => Number(row.id)) };
}
