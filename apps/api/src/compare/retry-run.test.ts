import type { TCompareEvent } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { compareEvents, createTestApp, runToEnd, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';

const A = 'google/gemini-2.5-flash';
const B = 'anthropic/claude-haiku-4.5';

let fake: FakeOpenAiServer;
let app: TestApp;
const clock = new FakeClock(new Date('2026-03-02T10:00:00Z'));

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp(
    { OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: fake.baseUrl, MODEL_TIMEOUT_MS: 5000 },
    { now: () => clock.now() },
  );
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

function conversationIdOf(events: TCompareEvent[]): number {
  const started = events[0];
  if (started?.type !== 'started' || started.conversationId === null) throw new Error('no conversation');
  return started.conversationId;
}

function doneOf(events: TCompareEvent[]) {
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`the run ended with ${done?.type}`);
  return done;
}

describe('retry and regenerate one model (issue 15)', () => {
  it('retries a failed model alone on the last prompt, charged as a normal run, and shows the new answer', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'A answers', costUsd: 0.002 });
    fake.setBehavior(B, { failTimes: 1, failStatus: 503, text: 'B answers at last', costUsd: 0.004 });
    const first = await runToEnd(caller, { models: [A, B], prompt: 'Question one' });
    const conversationId = conversationIdOf(first);
    const failed = first.find((e) => e.type === 'modelError');
    expect(failed).toMatchObject({ modelId: B });
    expect(doneOf(first).creditsCharged).toBe(1);

    const retry = await runToEnd(caller, {
      models: [B],
      prompt: 'Question one',
      conversationId,
      retry: true,
    });
    expect(retry.find((e) => e.type === 'modelDone')).toMatchObject({ modelId: B, costUsd: 0.004 });
    expect(doneOf(retry).creditsCharged).toBe(1);
    // Only B ran again, with the thread up to the last prompt.
    const bRequests = fake.requests.filter((r) => r.model.includes('haiku'));
    expect(bRequests).toHaveLength(2);
    expect(bRequests[1]?.messages).toEqual([{ role: 'user', content: 'Question one' }]);
    expect(fake.requests).toHaveLength(3);

    // No second prompt; the retried answer replaces the failed one, with its figures.
    const detail = await caller.conversations.get({ id: conversationId });
    expect(detail.prompts.map((p) => p.content)).toEqual(['Question one']);
    expect(detail.threads[B]?.[0]).toMatchObject({
      content: 'B answers at last',
      success: true,
      status: 'done',
      costUsd: 0.004,
      credits: 0.4,
    });
    expect(detail.threads[B]?.[0]?.ttftMs).not.toBeNull();
    expect(detail.threads[A]?.[0]).toMatchObject({ content: 'A answers', costUsd: 0.002 });

    // Charged like any run: one usage row and one ledger row per run, and the pool counts both.
    const logs = await app.db.models.UsageLog.query().where('user_id', user.id).orderBy('id');
    expect(logs.map((log) => log.models_requested)).toEqual([2, 1]);
    const ledger = await app.db.models.CreditTransaction.query()
      .where({ user_id: user.id, transaction_type: 'usage' })
      .orderBy('id');
    expect(ledger.map((row) => row.credits_amount)).toEqual([-1, -1]);
    expect(ledger[1]?.related_usage_log_id).toBe(logs[1]?.id);
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_used_this_period).toBe(2);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  });

  it('regenerates a finished answer: its thread feeds only the newest answer of that turn', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'a1' });
    const conversationId = conversationIdOf(await runToEnd(caller, { models: [A], prompt: 'q1' }));
    fake.setBehavior(A, { text: 'a2' });
    await runToEnd(caller, { models: [A], prompt: 'q2', conversationId });
    fake.setBehavior(A, { text: 'a2 again' });
    await runToEnd(caller, { models: [A], prompt: 'q2', conversationId, retry: true });
    fake.setBehavior(A, { text: 'a3' });
    await runToEnd(caller, { models: [A], prompt: 'q3', conversationId });

    const contents = (index: number) => fake.requests[index]?.messages.map((m) => m.content);
    expect(contents(2)).toEqual(['q1', 'a1', 'q2']);
    expect(contents(3)).toEqual(['q1', 'a1', 'q2', 'a2 again', 'q3']);
    const detail = await caller.conversations.get({ id: conversationId });
    expect(detail.threads[A]?.map((m) => m?.content)).toEqual(['a1', 'a2 again', 'a3']);
  });

  it('refuses a retry whose prompt is not the conversation’s last one, before anything runs or is held', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    const conversationId = conversationIdOf(await runToEnd(caller, { models: [A], prompt: 'old' }));
    await runToEnd(caller, { models: [A], prompt: 'new', conversationId });
    const before = fake.requests.length;
    await expect(
      caller.compare.start({ models: [A], prompt: 'old', conversationId, retry: true }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(fake.requests).toHaveLength(before);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  });

  it('admits a retry like any run: refused when the pool cannot cover it, nothing run or charged', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { failTimes: 1 });
    const conversationId = conversationIdOf(await runToEnd(caller, { models: [A], prompt: 'broke' }));
    await app.db.models.User.query().findById(user.id).patch({ credits_used_this_period: 100 });
    const before = fake.requests.length;
    await expect(
      caller.compare.start({ models: [A], prompt: 'broke', conversationId, retry: true }),
    ).rejects.toMatchObject({ code: 'PAYMENT_REQUIRED' });
    expect(fake.requests).toHaveLength(before);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_used_this_period).toBe(100);
  });

  it('refuses a retry without a saved conversation, or of several models (input validation)', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    await expect(caller.compare.start({ models: [A], prompt: 'x', retry: true })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      caller.compare.start({ models: [A, B], prompt: 'x', conversationId: 1, retry: true }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('replies to one model alone in the same conversation; the others have no answer for that turn', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    const conversationId = conversationIdOf(await runToEnd(caller, { models: [A, B], prompt: 'both' }));
    fake.setBehavior(B, { text: 'just B' });
    await runToEnd(caller, { models: [B], prompt: 'only you', conversationId });
    const detail = await caller.conversations.get({ id: conversationId });
    expect(detail.prompts.map((p) => p.content)).toEqual(['both', 'only you']);
    expect(detail.threads[B]?.[1]?.content).toBe('just B');
    expect(detail.threads[A]?.[1]).toBeNull();
    expect(detail.modelsUsed).toEqual([A, B]);
  });
});

describe('figures kept with each answer (issue 15)', () => {
  it('a stopped answer’s modelError carries the figures it is charged for, as saved', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'word '.repeat(60).trim(), tokenDelayMs: 20 });
    const events: TCompareEvent[] = [];
    let runId = '';
    for await (const event of compareEvents(caller, { models: [A], prompt: 'stop me' }, (started) => {
      runId = started.runId;
    })) {
      events.push(event);
      if (event.type === 'delta' && events.filter((e) => e.type === 'delta').length === 1) {
        await caller.compare.stop({ runId });
      }
    }
    const stopped = events.find((e) => e.type === 'modelError');
    if (stopped?.type !== 'modelError') throw new Error('no modelError');
    expect(stopped.message).toBe('Stopped.');
    expect(stopped.credits).toBeGreaterThan(0);
    expect(stopped.ttftMs).not.toBeNull();
    const detail = await caller.conversations.get({ id: conversationIdOf(events) });
    expect(detail.threads[A]?.[0]).toMatchObject({ status: 'stopped', ttftMs: stopped.ttftMs });
    expect(detail.threads[A]?.[0]?.credits).toBeCloseTo(stopped.credits ?? -1, 6);
  });

  it('a breakout keeps each answer’s time to first token, credits and cost', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(A, { text: 'kept figures', costUsd: 0.003, ttftMs: 20 });
    const conversationId = conversationIdOf(await runToEnd(caller, { models: [A, B], prompt: 'figures' }));
    const { conversationId: breakoutId } = await caller.conversations.breakout({
      id: conversationId,
      modelId: A,
    });
    const detail = await caller.conversations.get({ id: breakoutId });
    const answer = detail.threads[A]?.[0];
    expect(answer).toMatchObject({ content: 'kept figures', status: 'done', credits: 0.3, costUsd: 0.003 });
    expect(answer?.ttftMs).toBeGreaterThanOrEqual(15);
  });
});
