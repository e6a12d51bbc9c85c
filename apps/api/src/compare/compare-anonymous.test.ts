import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { collectRun, createTestClient, type TestClient } from '../testing/trpc-client';
import { waitFor } from '../testing/wait-for';

// Registry models anonymous visitors may use.
const A = 'google/gemini-2.5-flash';
const B = 'deepseek/deepseek-chat-v3.1';
const C = 'cohere/command-r7b-12-2024';
const PAID = 'anthropic/claude-opus-4';
const FREE = 'anthropic/claude-haiku-4.5';

let fake: FakeOpenAiServer;
let app: TestApp;
let http: TestServer;
let client: TestClient;
let ipCounter = 0;

/** Each test is a different visitor, so daily pools never leak between tests. */
function visitor() {
  ipCounter += 1;
  const ip = `10.0.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
  return { ip, client: createTestClient(http.url, () => ({ 'x-forwarded-for': ip })) };
}

async function usageLogsFor(ip: string) {
  return app.db.models.UsageLog.query().where('ip_address', ip).orderBy('id');
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    MODEL_TIMEOUT_MS: 1500,
    TRUST_PROXY: 1,
  });
  http = await startTestServer(app);
  client = createTestClient(http.url);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('compare.start + compare.events for anonymous visitors, through the real HTTP API', () => {
  it('streams three models at once; one failing mid-stream ends only its own card and is not charged', async () => {
    fake.setBehavior(A, { text: 'alpha beta gamma delta', costUsd: 0.00734, tokenDelayMs: 5 });
    fake.setBehavior(B, { text: 'one two three four', costUsd: 0.015, tokenDelayMs: 5 });
    fake.setBehavior(C, { text: 'this answer breaks halfway through', errorAfterPieces: 2, tokenDelayMs: 5 });
    const { ip, client: c } = visitor();
    const run = await collectRun(c, { models: [A, B, C], prompt: 'Compare yourselves' });

    expect(run.error).toBeNull();
    expect(run.events[0]).toMatchObject({ type: 'started', conversationId: null, models: [A, B, C] });
    expect(run.text[A]).toBe('alpha beta gamma delta');
    expect(run.text[B]).toBe('one two three four');
    expect(run.text[C]).toBe('this answer ');
    const done = run.events.filter((e) => e.type === 'modelDone');
    expect(done.map((e) => e.modelId).sort()).toEqual([A, B].sort());
    expect(done.find((e) => e.modelId === A)).toMatchObject({ credits: 0.734 });
    expect(done.find((e) => e.modelId === B)).toMatchObject({ credits: 1.5 });
    const failed = run.events.find((e) => e.type === 'modelError');
    expect(failed).toMatchObject({ modelId: C });
    expect(failed?.type === 'modelError' && failed.message).toMatch(/error/i);
    // 0.734 + 1.5 = 2.234 → charged as 3 whole credits; the failed model costs nothing.
    expect(run.events.at(-1)).toEqual({ type: 'done', creditsCharged: 3, creditsRemaining: 47 });

    const [log] = await usageLogsFor(ip);
    expect(log).toMatchObject({
      user_id: null,
      models_requested: 3,
      models_successful: 2,
      models_failed: 1,
      credits_used: 3,
      actual_cost: 0.0223,
      input_length: 'Compare yourselves'.length,
    });
    // Anonymous comparisons are not saved server-side.
    expect(await app.db.models.Conversation.query().resultSize()).toBe(0);
  });

  it('reports readable reasons for HTTP 500, malformed chunks and hanging streams (timeout)', async () => {
    fake.setBehavior(A, { failStatus: 500 });
    fake.setBehavior(B, { text: 'good start then garbage', malformedAfterPieces: 2 });
    fake.setBehavior(C, { text: 'never finishes this sentence', hangAfterPieces: 1 });
    const { client: c } = visitor();
    const run = await collectRun(c, { models: [A, B, C], prompt: 'Fail in every way' });
    const errors = Object.fromEntries(
      run.events.flatMap((e) => (e.type === 'modelError' ? [[e.modelId, e.message]] : [])),
    );
    expect(errors[A]).toMatch(/HTTP 500/);
    expect(errors[B]).toMatch(/malformed|failed/i);
    expect(errors[C]).toMatch(/within 2 s/);
    expect(run.events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 0 });
    // The hanging upstream request was aborted by the timeout.
    const hung = await waitFor(
      () => fake.requests.find((r) => r.model === C),
      (r) => r?.closedEarly === true,
    );
    expect(hung?.closedEarly).toBe(true);
  });

  it('stops one model on request; the others finish', async () => {
    fake.setBehavior(A, { text: 'quick answer', tokenDelayMs: 1 });
    fake.setBehavior(B, { text: 'slow '.repeat(200), tokenDelayMs: 20 });
    const { client: c } = visitor();
    let stopSent = false;
    const run = await collectRun(c, { models: [A, B], prompt: 'Race' }, (event, collected) => {
      if (event.type === 'delta' && event.modelId === B && !stopSent && collected.started) {
        stopSent = true;
        const { runId, runSecret } = collected.started;
        void c.compare.stop.mutate({ runId, modelId: B, runSecret: runSecret ?? '' });
      }
      return undefined;
    });
    expect(run.events.find((e) => e.type === 'modelDone')).toMatchObject({ modelId: A });
    expect(run.events.find((e) => e.type === 'modelError')).toMatchObject({
      modelId: B,
      message: 'Stopped.',
    });
    expect(run.text[B]?.length).toBeGreaterThan(0);
    expect(run.text[B]?.length).toBeLessThan('slow '.repeat(200).length);
    const upstream = await waitFor(
      () => fake.requests.find((r) => r.model === B),
      (r) => r?.closedEarly === true,
    );
    expect(upstream?.closedEarly).toBe(true);
  });

  it('stops every model with one stop, aborts the upstream requests, and charges what was streamed', async () => {
    fake.setBehavior(A, { text: 'never ending story', hangAfterPieces: 2 });
    fake.setBehavior(B, { text: 'long '.repeat(500), tokenDelayMs: 20 });
    const { ip, client: c } = visitor();
    let stopSent = false;
    const run = await collectRun(c, { models: [A, B], prompt: 'Stop it all' }, (event, collected) => {
      if (
        !stopSent &&
        event.type === 'delta' &&
        collected.text[A] &&
        collected.text[B] &&
        collected.started
      ) {
        stopSent = true;
        const { runId, runSecret } = collected.started;
        void c.compare.stop.mutate({ runId, runSecret: runSecret ?? '' });
      }
      return undefined;
    });
    expect(
      run.events.filter((e) => e.type === 'modelError').map((e) => e.type === 'modelError' && e.message),
    ).toEqual(['Stopped.', 'Stopped.']);
    const upstream = await waitFor(
      () => fake.requests,
      (requests) => requests.length === 2 && requests.every((r) => r.closedEarly),
    );
    expect(upstream.map((r) => r.closedEarly)).toEqual([true, true]);
    const logs = await waitFor(
      () => usageLogsFor(ip),
      (rows) => rows.length === 1,
    );
    // Stopped by the visitor: charged for what the models produced (the upstream bills it too).
    expect(logs[0]).toMatchObject({ models_requested: 2, models_successful: 0, credits_used: 1 });
    expect(run.events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 1 });
  });

  it('refuses a fourth model and models above the visitor tier before anything runs', async () => {
    const { client: c } = visitor();
    const tooMany = await collectRun(c, { models: [A, B, C, 'deepseek/deepseek-v3.2'], prompt: 'Four' });
    expect(tooMany.error?.data?.code).toBe('FORBIDDEN');
    expect(tooMany.error?.message).toMatch(/up to 3 models/);

    const paid = await collectRun(c, { models: [A, PAID], prompt: 'Paid model' });
    expect(paid.error?.data?.code).toBe('FORBIDDEN');
    expect(paid.error?.data?.app).toMatchObject({ appCode: 'FORBIDDEN', requiredTier: 'starter' });

    const free = await collectRun(c, { models: [FREE], prompt: 'Free model' });
    expect(free.error?.message).toMatch(/sign up/i);
    expect(fake.requests).toHaveLength(0);
  });

  it('meters the anonymous daily pool by IP and by fingerprint', async () => {
    const { ip, client: c } = visitor();
    const fingerprint = 'a'.repeat(64);
    fake.setBehavior(A, { text: 'pricey answer', costUsd: 0.45 }); // 45 credits
    const first = await collectRun(c, { models: [A], prompt: 'Spend', fingerprint });
    expect(first.events.at(-1)).toEqual({ type: 'done', creditsCharged: 45, creditsRemaining: 5 });
    // The next answer costs 45 again, but only 5 are left: the charge is capped at the pool.
    const second = await collectRun(c, { models: [A], prompt: 'Spend more', fingerprint });
    expect(second.events.at(-1)).toEqual({ type: 'done', creditsCharged: 5, creditsRemaining: 0 });
    const third = await collectRun(c, { models: [A], prompt: 'Nothing left', fingerprint });
    expect(third.error?.data?.code).toBe('PAYMENT_REQUIRED');
    expect(third.error?.data?.app?.creditsRemaining).toBe(0);
    expect(third.error?.message).toMatch(/Sign up/);
    // Same browser from another address: the fingerprint still finds today's spend.
    const elsewhere = createTestClient(http.url, () => ({ 'x-forwarded-for': '192.0.2.77' }));
    const fourth = await collectRun(elsewhere, { models: [A], prompt: 'New IP', fingerprint });
    expect(fourth.error?.data?.code).toBe('PAYMENT_REQUIRED');
    expect((await usageLogsFor(ip)).map((l) => l.credits_used)).toEqual([45, 5]);

    const estimate = await c.compare.estimate.query({ models: [A], prompt: 'How much?', fingerprint });
    expect(estimate).toMatchObject({ creditsRemaining: 0, canAfford: false, modelsPerComparison: 3 });
  });

  it("shows a visitor's daily pool before any run, and what their address and browser spent since", async () => {
    const { client: c } = visitor();
    const fingerprint = 'b'.repeat(64);
    const fresh = await c.credits.visitorBalance.query({ fingerprint });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(fresh).toEqual({
      allocated: 50,
      used: 0,
      remaining: 50,
      resetsAt: midnight.toISOString(),
      period: 'day',
    });
    fake.setBehavior(A, { text: 'answer', costUsd: 0.12 }); // 12 credits
    const run = await collectRun(c, { models: [A], prompt: 'Spend some', fingerprint });
    expect(run.events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 12, creditsRemaining: 38 });
    expect(await c.credits.visitorBalance.query({ fingerprint })).toMatchObject({ used: 12, remaining: 38 });
    // The same browser from another address, and the same address with another browser, both see it.
    const elsewhere = createTestClient(http.url, () => ({ 'x-forwarded-for': '192.0.2.99' }));
    expect(await elsewhere.credits.visitorBalance.query({ fingerprint })).toMatchObject({ remaining: 38 });
    expect(await c.credits.visitorBalance.query({})).toMatchObject({ remaining: 38 });
    const bad = await c.credits.visitorBalance
      .query({ fingerprint: 'nope' })
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });

  it('rejects bad input with field messages and writes nothing', async () => {
    const { ip, client: c } = visitor();
    const empty = await collectRun(c, { models: [], prompt: '' });
    expect(empty.error?.data?.code).toBe('BAD_REQUEST');
    expect(empty.error?.data?.zodError?.fieldErrors).toMatchObject({
      models: ['Pick at least one model'],
      prompt: ['Write a prompt first'],
    });
    const huge = await collectRun(c, { models: [A], prompt: 'x'.repeat(100_001) });
    expect(huge.error?.data?.zodError?.fieldErrors.prompt?.[0]).toMatch(/too long/);
    const unknown = await collectRun(c, { models: ['nobody/nothing'], prompt: 'hi' });
    expect(unknown.error?.message).toBe('Unknown model: nobody/nothing');
    expect(await usageLogsFor(ip)).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('lists the registry with availability for the caller', async () => {
    const list = await client.models.list.query();
    expect(list.models).toHaveLength(103);
    expect(list.modelsPerComparison).toBe(3);
    expect(list.models.find((m) => m.id === A)).toMatchObject({ available: true, requiredTier: null });
    expect(list.models.find((m) => m.id === PAID)).toMatchObject({
      available: false,
      requiredTier: 'starter',
    });
  });

  it('refuses API calls a browser labels as cross-site (a link on another site cannot spend credits)', async () => {
    const crossSite = await fetch(`${http.url}/trpc/compare.start`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: JSON.stringify({ models: [A], prompt: 'csrf' }),
    });
    expect(crossSite.status).toBe(403);
    const input = encodeURIComponent(JSON.stringify({ runId: crypto.randomUUID() }));
    const crossSiteEvents = await fetch(`${http.url}/trpc/compare.events?input=${input}`, {
      headers: { 'sec-fetch-site': 'cross-site', accept: 'text/event-stream' },
    });
    expect(crossSiteEvents.status).toBe(403);
    const sameOrigin = await fetch(`${http.url}/trpc/models.list`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    expect(fake.requests).toHaveLength(0);
  });
});
