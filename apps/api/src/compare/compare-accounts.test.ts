import { createDb } from '@compareintel/db';
import type { TCompareEvent } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../server';
import { FakeClock } from '../testing/fake-clock';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, runToEnd, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { collectRun, createTestClient } from '../testing/trpc-client';
import { createTestUser } from '../testing/user-factory';

const A = 'google/gemini-2.5-flash';
const B = 'anthropic/claude-haiku-4.5'; // registered users only
const PAID = 'anthropic/claude-opus-4';
const TINY = 'local/tiny'; // a declared endpoint model with a small context

let fake: FakeOpenAiServer;
let app: TestApp;
let http: TestServer;

/** A whole comparison through createCaller; a refused run rejects. */
const runAll = runToEnd;

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
    LLM_ENDPOINTS: [
      {
        name: 'local',
        baseUrl: fake.baseUrl,
        apiKey: 'none',
        models: [{ id: TINY, upstreamId: 'tiny-upstream', contextLength: 400, access: 'anonymous' }],
      },
    ],
  });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('comparisons of signed-in users', () => {
  it('saves the comparison and gives each model its own thread on follow-up (over HTTP)', async () => {
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    fake.setBehavior(A, { text: 'A says one', costUsd: 0.002 });
    fake.setBehavior(B, { text: 'B says one', costUsd: 0.003 });
    const first = await collectRun(client, { models: [A, B], prompt: 'First question' });
    expect(first.error).toBeNull();
    const conversationId = conversationIdOf(first.events);

    fake.setBehavior(A, { text: 'A says two' });
    fake.setBehavior(B, { text: 'B says two' });
    const second = await collectRun(client, { models: [A, B], prompt: 'Second question', conversationId });
    expect(second.events[0]).toMatchObject({ type: 'started', conversationId });

    const secondA = fake.requests.filter((r) => r.model === A)[1];
    expect(secondA?.messages).toEqual([
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'A says one' },
      { role: 'user', content: 'Second question' },
    ]);
    const secondB = fake.requests.filter((r) => r.model === B)[1];
    expect(secondB?.messages.map((m) => m.content)).toEqual([
      'First question',
      'B says one',
      'Second question',
    ]);
    // OpenRouter is asked for usage with cost, and gets the key.
    expect(secondA?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      usage: { include: true },
    });
    expect(secondA?.authorization).toBe('Bearer test-key');

    const detail = await client.conversations.get.query({ id: conversationId });
    expect(detail.prompts.map((p) => p.content)).toEqual(['First question', 'Second question']);
    expect(detail.threads[A]?.map((m) => m?.content)).toEqual(['A says one', 'A says two']);
    expect(detail.threads[B]?.map((m) => m?.content)).toEqual(['B says one', 'B says two']);
    expect(detail).toMatchObject({ type: 'comparison', modelsUsed: [A, B], messageCount: 6 });
  });

  it('keeps partial text of a stopped or failed model, marked unsuccessful', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'fine answer' });
    fake.setBehavior(B, { text: 'partial words then boom', errorAfterPieces: 2 });
    const events = await runAll(caller, { models: [A, B], prompt: 'Try' });
    const detail = await caller.conversations.get({ id: conversationIdOf(events) });
    expect(detail.threads[B]?.[0]).toMatchObject({ success: false, content: 'partial words ' });
    expect(detail.threads[A]?.[0]).toMatchObject({ success: true, content: 'fine answer' });
  });

  it('breaks out into a new conversation that continues with one model', async () => {
    const { user } = await createTestUser(app.db, { subscription_tier: 'starter' });
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'A original' });
    fake.setBehavior(B, { text: 'B original' });
    const parentId = conversationIdOf(await runAll(caller, { models: [A, B], prompt: 'Parent prompt' }));
    const { conversationId } = await caller.conversations.breakout({ id: parentId, modelId: B });
    const breakout = await caller.conversations.get({ id: conversationId });
    expect(breakout).toMatchObject({
      type: 'breakout',
      parentConversationId: parentId,
      breakoutModelId: B,
      modelsUsed: [B],
    });
    expect(Object.keys(breakout.threads)).toEqual([B]);

    fake.setBehavior(B, { text: 'B continues' });
    await runAll(caller, { models: [B], prompt: 'Go on', conversationId });
    expect(fake.requests.at(-1)?.messages.map((m) => m.content)).toEqual([
      'Parent prompt',
      'B original',
      'Go on',
    ]);

    // Deleting the parent keeps the breakout (SET NULL).
    await caller.conversations.delete({ id: parentId });
    expect(await caller.conversations.get({ id: conversationId })).toMatchObject({
      parentConversationId: null,
    });
    await expect(caller.conversations.breakout({ id: conversationId, modelId: A })).rejects.toThrow(
      /no answer/,
    );
  });

  it('lists, renames and deletes conversations; the tier limit deletes the oldest', async () => {
    const { user } = await createTestUser(app.db); // free: 3 saved conversations
    const caller = await app.callerAs(user);
    const ids: number[] = [];
    for (const prompt of ['one', 'two', 'three', 'four']) {
      ids.push(conversationIdOf(await runAll(caller, { models: [A], prompt })));
    }
    const page = await caller.conversations.list({ limit: 10 });
    expect(page.limit).toBe(3);
    expect(page.items.map((c) => c.preview)).toEqual(['four', 'three', 'two']);
    await expect(caller.conversations.get({ id: ids[0] ?? 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await caller.conversations.rename({ id: ids[1] ?? 0, title: '  Renamed  ' });
    const paged = await caller.conversations.list({ limit: 2 });
    expect(paged.nextCursor).not.toBeNull();
    const rest = await caller.conversations.list({ limit: 2, cursor: paged.nextCursor });
    expect([...paged.items, ...rest.items].find((c) => c.id === ids[1])?.title).toBe('Renamed');
    await caller.conversations.delete({ id: ids[3] ?? 0 });
    expect((await caller.conversations.list({ limit: 10 })).items).toHaveLength(2);

    // Someone else's conversation is invisible.
    const other = await app.callerAs((await createTestUser(app.db)).user);
    await expect(other.conversations.get({ id: ids[1] ?? 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.conversations.rename({ id: ids[1] ?? 0, title: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('charges credits once per run with a usage log and a credit transaction', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'a', costUsd: 0.00734 });
    fake.setBehavior(B, { text: 'b', usage: { promptTokens: 1000, completionTokens: 400 } }); // list price
    const events = await runAll(caller, { models: [A, B], prompt: 'Bill me' });
    // A: 0.734; B: (1000 × $1e-6 + 400 × $5e-6) × 100 = 0.3 → 1.034 → 2 credits.
    expect(events.at(-1)).toEqual({ type: 'done', creditsCharged: 2, creditsRemaining: 98 });
    expect(await caller.credits.balance()).toMatchObject({
      allocated: 100,
      used: 2,
      remaining: 98,
      period: 'day',
    });
    const history = await caller.credits.history();
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({
      type: 'usage',
      amount: -2,
      usage: { modelsUsed: [A, B], modelsSuccessful: 2 },
    });
    const fresh = await app.db.models.User.query().findById(user.id);
    expect(fresh).toMatchObject({ credits_used_this_period: 2, total_credits_used: 2 });
  });

  it('applies tier limits, access and the unverified (anonymous) limits', async () => {
    const free = await app.callerAs((await createTestUser(app.db)).user);
    await expect(
      runAll(free, { models: [A, B, TINY, 'deepseek/deepseek-v3.2'], prompt: 'x' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(runAll(free, { models: [PAID], prompt: 'x' })).rejects.toThrow(/Starter plan/);
    const unverified = await app.callerAs((await createTestUser(app.db, { is_verified: false })).user);
    await expect(runAll(unverified, { models: [B], prompt: 'x' })).rejects.toThrow(/verify your email/);
    const pro = await app.callerAs(
      (await createTestUser(app.db, { subscription_tier: 'pro', monthly_credits_allocated: 3300 })).user,
    );
    const models = (await pro.models.list()).modelsPerComparison;
    expect(models).toBe(9);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses when the pool is spent, and starts a new pool once the reset time has passed', async () => {
    const { user } = await createTestUser(app.db, { credits_used_this_period: 100 });
    const caller = await app.callerAs(user);
    await expect(runAll(caller, { models: [A], prompt: 'x' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
    expect(await caller.compare.estimate({ models: [A], prompt: 'x' })).toMatchObject({
      canAfford: false,
      creditsRemaining: 0,
    });
    await app.db.models.User.query()
      .patch({ credits_reset_at: new Date(Date.now() - 1000) })
      .where('id', user.id);
    const events = await runAll(caller, { models: [A], prompt: 'after reset' });
    expect(events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 1, creditsRemaining: 99 });
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_reset_at?.getTime()).toBeGreaterThan(Date.now());
  });

  it('lets paid tiers go into overage only once they opt in, recorded on the usage log', async () => {
    const { user } = await createTestUser(app.db, {
      subscription_tier: 'starter',
      monthly_credits_allocated: 720,
      credits_used_this_period: 720,
      credits_reset_at: new Date(Date.now() + 86_400_000),
    });
    fake.setBehavior(A, { text: 'over', costUsd: 0.025 }); // 2.5 credits → 3
    const caller = await app.callerAs(user);
    // Overage is opt-in: without it a paid pool that is spent refuses like any other.
    await expect(runAll(caller, { models: [A], prompt: 'more please' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
    await app.db.models.OverageSetting.query().insert({
      user_id: user.id,
      enabled: true,
      cap_usd: 5,
      cap_credits: 384,
    });
    const events = await runAll(caller, { models: [A], prompt: 'more please' });
    expect(events.at(-1)).toEqual({ type: 'done', creditsCharged: 3, creditsRemaining: -3 });
    const log = await app.db.models.UsageLog.query().findOne({ user_id: user.id });
    expect(log).toMatchObject({ is_overage: true, overage_charge: 0.039, credits_used: 3 });
    expect(await app.db.models.User.query().findById(user.id)).toMatchObject({ monthly_overage_count: 1 });
    // The next billing period starts a new pool, and the overage count with it.
    await app.db.models.User.query()
      .patch({ credits_reset_at: new Date(Date.now() - 1000) })
      .where('id', user.id);
    await (await app.callerAs(user)).credits.balance();
    expect(await app.db.models.User.query().findById(user.id)).toMatchObject({
      monthly_overage_count: 0,
      credits_used_this_period: 0,
    });
    // …and overage is off again until the user opts in for the new period.
    expect(await app.db.models.OverageSetting.query().findById(user.id)).toMatchObject({
      enabled: false,
      credits_used: 0,
    });
  });

  it('trims each thread from the oldest turns to fit the model context, counted in tokens', async () => {
    const caller = await app.callerAs((await createTestUser(app.db)).user);
    const long = (n: number) => `turn ${n} ${'lorem ipsum dolor sit amet '.repeat(8)}`.trimEnd();
    fake.setBehavior('tiny-upstream', { text: 'ok '.repeat(10) });
    const id = conversationIdOf(await runAll(caller, { models: [TINY], prompt: long(1) }));
    for (const n of [2, 3, 4]) await runAll(caller, { models: [TINY], prompt: long(n), conversationId: id });
    const last = fake.requests.at(-1);
    expect(last?.model).toBe('tiny-upstream');
    const contents = last?.messages.map((m) => m.content) ?? [];
    expect(contents.at(-1)).toBe(long(4));
    expect(contents).not.toContain(long(1));
    expect(last?.messages[0]?.role).toBe('user');
    await expect(runAll(caller, { models: [TINY], prompt: 'word '.repeat(400) })).rejects.toThrow(
      /too long for/,
    );
  });

  it('never spends the same credit twice: 50 runs at once against a pool of 10', async () => {
    const { user } = await createTestUser(app.db, { monthly_credits_allocated: 10 });
    const caller = await app.callerAs(user);
    fake.setDefault({ text: 'cheap', costUsd: 0.001, ttftMs: 20 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => runAll(caller, { models: [A], prompt: `race ${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused.every((r) => r.status === 'rejected' && r.reason?.code === 'PAYMENT_REQUIRED')).toBe(true);
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_used_this_period).toBe(10);
    const spent = await app.db.models.CreditTransaction.query().where('user_id', user.id);
    expect(spent.reduce((sum, row) => sum + row.credits_amount, 0)).toBe(-10);
  });

  it('breaks out from the oldest conversation at the history limit without deleting its parent', async () => {
    const caller = await app.callerAs((await createTestUser(app.db)).user); // free: 3 saved
    const ids: number[] = [];
    for (const prompt of ['p1', 'p2', 'p3'])
      ids.push(conversationIdOf(await runAll(caller, { models: [A], prompt })));
    const { conversationId } = await caller.conversations.breakout({ id: ids[0] ?? 0, modelId: A });
    const kept = (await caller.conversations.list({ limit: 10 })).items.map((c) => c.id);
    expect(kept).toContain(ids[0]);
    expect(kept).toContain(conversationId);
    expect(kept).not.toContain(ids[1]);
    await expect(runAll(caller, { models: [A, B], prompt: 'both', conversationId })).rejects.toThrow(
      /continues with/,
    );
  });

  it('charges a run that straddles a pool reset in the new pool, never below zero', async () => {
    const clock = new FakeClock(new Date('2026-03-10T23:59:00Z'));
    const clocked = await createTestApp(
      { OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: fake.baseUrl },
      { now: clock.now },
    );
    try {
      const { user } = await createTestUser(clocked.db, {
        credits_used_this_period: 40,
        credits_reset_at: new Date('2026-03-11T00:00:00Z'),
      });
      const caller = await clocked.callerAs(user);
      fake.setBehavior(A, { text: 'slow answer here', ttftMs: 300, costUsd: 0.001 });
      const running = runAll(caller, { models: [A], prompt: 'across midnight' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Midnight passes while the model streams: the next call starts a new pool, without the hold.
      clock.advance(2 * 60_000);
      expect(await caller.credits.balance()).toMatchObject({ used: 0, resetsAt: '2026-03-12T00:00:00.000Z' });
      const events = await running;
      expect(events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 1, creditsRemaining: 99 });
      expect(await clocked.db.models.User.query().findById(user.id)).toMatchObject({
        credits_used_this_period: 1,
      });
    } finally {
      await clocked.close();
    }
  });

  it('answers unexpected failures with a plain sentence, never driver or SQL text', async () => {
    const broken = createDb('postgres://postgres:secret@127.0.0.1:1/none');
    const server = await buildServer({ ...app.services, db: broken });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const input = encodeURIComponent(JSON.stringify({ models: [A], prompt: 'x' }));
      const response = await fetch(`${url}/trpc/compare.estimate?input=${input}`);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toContain('Something went wrong on our side');
      expect(body).not.toMatch(/ECONNREFUSED|secret|select/i);
    } finally {
      await server.close();
      await broken.destroy();
    }
  });

  it('keeps the saved-conversation limit when several comparisons start at once', async () => {
    const { user } = await createTestUser(app.db); // free: 3 saved
    const caller = await app.callerAs(user);
    fake.setDefault({ text: 'parallel', ttftMs: 30 });
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => runAll(caller, { models: [A], prompt: `parallel ${i}` })),
    );
    expect(runs.every((events) => events.at(-1)?.type === 'done')).toBe(true);
    expect(await app.db.models.Conversation.query().where('user_id', user.id).resultSize()).toBe(3);
  });
});
