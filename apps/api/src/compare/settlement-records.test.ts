import type { TCompareEvent, TCompareRunInput } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { createCaller } from '../router';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { compareEvents, createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';

// What a settled run writes: the usage log's counts, tokens and costs, each answer's detail, and the
// credit transaction (PRODUCT.md, "Credits").
const FLASH = 'google/gemini-2.5-flash'; // $0.30 / $2.50 per million tokens in / out
const HAIKU = 'anthropic/claude-haiku-4.5'; // $1 / $5 per million tokens in / out
const DEEPSEEK = 'deepseek/deepseek-chat-v3.1'; // $0.21 / $0.79 per million tokens in / out

type Caller = ReturnType<typeof createCaller>;

let fake: FakeOpenAiServer;
let app: TestApp;

async function runAll(caller: Caller, input: TCompareRunInput): Promise<TCompareEvent[]> {
  const events: TCompareEvent[] = [];
  for await (const event of compareEvents(caller, input)) events.push(event);
  return events;
}

function conversationIdOf(events: TCompareEvent[]): number {
  const started = events[0];
  if (started?.type !== 'started' || started.conversationId === null) throw new Error('no conversation');
  return started.conversationId;
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    MODEL_TIMEOUT_MS: 5000,
  });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('what a settled comparison records', () => {
  it('logs counts, tokens, reported and list-price costs; details each answer; one credit transaction', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user, { ip: '203.0.113.7' });
    fake.setBehavior(FLASH, {
      text: 'flash answer',
      costUsd: 0.0073,
      usage: { promptTokens: 10_000, completionTokens: 4000 },
    });
    fake.setBehavior(HAIKU, { text: 'haiku answer', usage: { promptTokens: 1000, completionTokens: 400 } });
    fake.setBehavior(DEEPSEEK, { failStatus: 500 });
    const prompt = 'Price this three ways';
    const events = await runAll(caller, { models: [FLASH, HAIKU, DEEPSEEK], prompt });
    // FLASH: reported $0.0073 → 0.73; HAIKU: list price $0.003 → 0.3; DEEPSEEK failed: free → 2 credits.
    expect(events.at(-1)).toEqual({ type: 'done', creditsCharged: 2, creditsRemaining: 98 });

    const conversationId = conversationIdOf(events);
    const answers = await app.db.models.ConversationMessage.query()
      .where({ conversation_id: conversationId, role: 'assistant' })
      .orderBy('id');
    const byModel = new Map(answers.map((row) => [row.model_id, row]));
    const failed = byModel.get(DEEPSEEK);
    expect(failed).toMatchObject({ success: false, output_tokens: 0 });
    const failedInput = failed?.input_tokens ?? 0;

    const [log, ...others] = await app.db.models.UsageLog.query().where('user_id', user.id);
    expect(others).toHaveLength(0);
    const inputTokens = 11_000 + failedInput;
    expect(log).toMatchObject({
      models_used: [FLASH, HAIKU, DEEPSEEK],
      models_requested: 3,
      models_successful: 2,
      models_failed: 1,
      input_length: prompt.length,
      input_tokens: inputTokens,
      output_tokens: 4400,
      total_tokens: inputTokens + 4400,
      effective_tokens: Math.round(inputTokens + 2.5 * 4400),
      credits_used: 2,
      // Only what the provider reported (FLASH); HAIKU reported nothing.
      actual_cost: 0.0073,
      is_overage: false,
      overage_charge: 0,
    });
    // List prices × tokens for every model (stored to 4 decimals): FLASH $0.013, HAIKU $0.003, DEEPSEEK its prompt.
    expect(log?.estimated_cost).toBeCloseTo(0.016 + failedInput * 2.1e-7, 4);
    expect(log?.ip_address).toBe('203.0.113.7');

    const details = await app.db.models.MessageDetail.query().whereIn(
      'message_id',
      answers.map((row) => row.id),
    );
    const detailOf = (model: string) => details.find((d) => d.message_id === byModel.get(model)?.id);
    expect(detailOf(FLASH)).toMatchObject({ status: 'done', credits: 0.73, cost_usd: 0.0073, error: null });
    expect(detailOf(HAIKU)).toMatchObject({ status: 'done', credits: 0.3, cost_usd: null });
    expect(detailOf(DEEPSEEK)).toMatchObject({ status: 'failed', credits: 0 });
    expect(detailOf(DEEPSEEK)?.error).toMatch(/\S/);
    expect(byModel.get(FLASH)).toMatchObject({ content: 'flash answer', success: true });
    // A model that failed before its first token keeps its error as the message text.
    expect(failed?.content).toBe(detailOf(DEEPSEEK)?.error);
    // Within the pool: no overage response counted.
    expect(await app.db.models.User.query().findById(user.id)).toMatchObject({ monthly_overage_count: 0 });

    const transactions = await app.db.models.CreditTransaction.query().where('user_id', user.id);
    expect(transactions).toEqual([
      expect.objectContaining({
        transaction_type: 'usage',
        credits_amount: -2,
        description: 'Comparison of 3 models',
        related_usage_log_id: log?.id,
      }),
    ]);
  });

  it('charges a verified account the full cost past its hold (no visitor-pool cap) and bumps the conversation', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(FLASH, { text: 'first' });
    const conversationId = conversationIdOf(await runAll(caller, { models: [FLASH], prompt: 'One' }));
    const before = await app.db.models.Conversation.query().findById(conversationId).throwIfNotFound();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Estimated at 1 credit, it costs $0.15 → 15 credits: more than the hold plus a visitor pool (10).
    fake.setBehavior(FLASH, { text: 'dear', costUsd: 0.15 });
    const events = await runAll(caller, { models: [FLASH], prompt: 'Two', conversationId });
    expect(events.at(-1)).toEqual({ type: 'done', creditsCharged: 15, creditsRemaining: 84 });
    const after = await app.db.models.Conversation.query().findById(conversationId).throwIfNotFound();
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('names a one-model comparison in the singular', async () => {
    const { user } = await createTestUser(app.db);
    fake.setBehavior(FLASH, { text: 'solo' });
    await runAll(await app.callerAs(user), { models: [FLASH], prompt: 'Alone' });
    const transactions = await app.db.models.CreditTransaction.query().where('user_id', user.id);
    expect(transactions.map((t) => t.description)).toEqual(['Comparison of 1 model']);
  });

  it('charges nothing and writes no credit transaction when every model failed', async () => {
    const { user } = await createTestUser(app.db);
    fake.setBehavior(FLASH, { failStatus: 500 });
    fake.setBehavior(HAIKU, { failStatus: 500 });
    const events = await runAll(await app.callerAs(user), {
      models: [FLASH, HAIKU],
      prompt: 'Nothing works',
    });
    expect(events.at(-1)).toEqual({ type: 'done', creditsCharged: 0, creditsRemaining: 100 });
    const log = await app.db.models.UsageLog.query().findOne({ user_id: user.id });
    expect(log).toMatchObject({ credits_used: 0, models_successful: 0, models_failed: 2, output_tokens: 0 });
    expect(await app.db.models.CreditTransaction.query().where('user_id', user.id)).toEqual([]);
    expect(await app.db.models.User.query().findById(user.id)).toMatchObject({
      credits_used_this_period: 0,
      total_credits_used: 0,
    });
  });
});
