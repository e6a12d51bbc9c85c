import { randomBytes } from 'node:crypto';
import { TIERS } from '@compareintel/shared';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess } from '../testing/api-process';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, type TestApp } from '../testing/test-app';
import { collectEvents, collectRun, createTestClient, type TestClient } from '../testing/trpc-client';
import { createTestUser, TEST_PASSWORD } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';
import { INTERRUPTED } from './run-recovery';

// Two real API processes (src/main.ts) on one PostgreSQL database and one Redis (only on the postgres
// project, with TEST_REDIS_URL; see vitest.config.ts): a run started on one is followed, resumed and
// stopped through the other, and survives the first being killed.

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:mp:${randomBytes(6).toString('hex')}`;
const FAST = 'google/gemini-2.5-flash';
const SLOW = 'anthropic/claude-haiku-4.5';

let fake: FakeOpenAiServer;
let app: TestApp;
let a: ApiProcess;
let b: ApiProcess;
const processes: ApiProcess[] = [];

async function start(): Promise<ApiProcess> {
  const api = await startApiProcess({
    DATABASE_URL: app.db.url,
    REDIS_URL: redisUrl,
    RUN_EVENTS_PREFIX: `${prefix}:run`,
    RATE_LIMIT_PREFIX: `${prefix}:rl`,
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    HOLD_PROGRESS_MS: '100',
    HOLD_SWEEP_MS: '300',
    MODEL_TIMEOUT_MS: '60000',
  });
  processes.push(api);
  return api;
}

async function signedIn(api: ApiProcess): Promise<{ userId: number; token: string }> {
  const { user, email } = await createTestUser(app.db);
  const { token } = await createTestClient(api.url).auth.createToken.mutate({
    email,
    password: TEST_PASSWORD,
  });
  return { userId: user.id, token };
}

function clientOf(api: ApiProcess, token: string): TestClient {
  return createTestClient(api.url, () => ({ authorization: `Bearer ${token}` }));
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp();
  [a, b] = await Promise.all([start(), start()]);
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((api) => api.stop()));
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await app.close();
  await fake.close();
});

describe('one run, two API processes (issue 13)', () => {
  it('is started on A, followed on B, and one model is stopped from B: A closes that upstream request', async () => {
    fake.setBehavior(FAST, { text: 'quick answer from the fast model', tokenDelayMs: 2 });
    fake.setBehavior(SLOW, { text: 'slow '.repeat(400).trim(), tokenDelayMs: 10 });
    const { token, userId } = await signedIn(a);
    const started = await clientOf(a, token).compare.start.mutate({ models: [FAST, SLOW], prompt: 'Cross' });
    let stop: Promise<{ stopped: boolean }> | null = null;
    const followed = await collectEvents(clientOf(b, token), { runId: started.runId }, (event, seen) => {
      if (!stop && event.type === 'delta' && (seen.text[SLOW]?.length ?? 0) > 20)
        stop = clientOf(b, token).compare.stop.mutate({ runId: started.runId, modelId: SLOW });
      return undefined;
    });
    expect(await stop).toEqual({ stopped: true });
    expect(followed.error).toBeNull();
    expect(followed.text[FAST]).toBe('quick answer from the fast model');
    expect(followed.events.find((e) => e.type === 'modelError')).toMatchObject({
      modelId: SLOW,
      message: 'Stopped.',
    });
    expect(followed.text[SLOW]?.length).toBeLessThan('slow '.repeat(400).trim().length);
    const upstream = await waitFor(
      () => fake.requests.find((r) => r.model === SLOW),
      (r) => r?.closedEarly === true,
    );
    expect(upstream?.closedEarly).toBe(true);
    // Settled once, on A, with the answer B saw.
    const [log] = await waitFor(
      async () => await app.db.models.UsageLog.query().where('user_id', userId),
      (rows) => rows.length === 1,
    );
    expect(followed.events.at(-1)).toMatchObject({ type: 'done', creditsCharged: log?.credits_used });
    // Stopping again, from either process, finds nothing running.
    expect(await clientOf(a, token).compare.stop.mutate({ runId: started.runId })).toEqual({
      stopped: false,
    });
    expect(await clientOf(b, token).compare.stop.mutate({ runId: started.runId })).toEqual({
      stopped: false,
    });
  });

  it('resumes on B after the last event id read on A: no text lost or repeated', async () => {
    const answer = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    fake.setBehavior(SLOW, { text: answer, tokenDelayMs: 3 });
    const { token } = await signedIn(a);
    const first = await collectRun(
      clientOf(a, token),
      { models: [SLOW], prompt: 'Resume me' },
      (event, seen) =>
        event.type === 'delta' && (seen.text[SLOW]?.length ?? 0) > 200 ? 'unsubscribe' : undefined,
    );
    const runId = first.started?.runId ?? '';
    const lastEventId = first.ids.at(-1) ?? '';
    const rest = await collectEvents(clientOf(b, token), { runId, lastEventId });
    expect(rest.error).toBeNull();
    expect((first.text[SLOW] ?? '') + (rest.text[SLOW] ?? '')).toBe(answer);
    // Ids run on without a gap or a repeat.
    const ids = [...first.ids, ...rest.ids].map(Number);
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    expect(rest.events.at(-1)).toMatchObject({ type: 'done' });
    // Nobody else may follow it, on either process.
    const { token: strangerToken } = await signedIn(b);
    for (const api of [a, b]) {
      const stranger = await collectEvents(clientOf(api, strangerToken), { runId });
      expect(stranger.error?.data?.code).toBe('NOT_FOUND');
      expect(stranger.events).toEqual([]);
    }
  });

  it("keeps visitors' pool exact across both processes under 100 concurrent runs", async () => {
    fake.setBehavior(FAST, { text: 'pooled answer', tokenDelayMs: 1, costUsd: 0.01 });
    const fingerprint = randomBytes(32).toString('hex');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        collectRun(createTestClient((i % 2 === 0 ? a : b).url), {
          models: [FAST],
          prompt: `Pool ${i}`,
          fingerprint,
        }),
      ),
    );
    const admitted = results.filter((run) => run.started !== null);
    const refused = results.filter((run) => run.started === null);
    expect(refused.every((run) => run.error?.data?.code === 'PAYMENT_REQUIRED')).toBe(true);
    // Each run is held at 1 credit and costs 1 (a cent of reported cost): exactly one pool's worth is
    // admitted, whichever process each request reached.
    expect(admitted).toHaveLength(TIERS.anonymous.credits);
    expect(admitted.every((run) => run.events.at(-1)?.type === 'done')).toBe(true);
    const charged = admitted.reduce((sum, run) => {
      const done = run.events.at(-1);
      return sum + (done?.type === 'done' ? done.creditsCharged : 0);
    }, 0);
    expect(charged).toBe(TIERS.anonymous.credits);
    const logs = await app.db.models.UsageLog.query().whereNull('user_id');
    expect(logs).toHaveLength(TIERS.anonymous.credits);
    expect(logs.every((log) => log.credits_used === 1)).toBe(true);
    // The shared pools (IP and fingerprint) hold exactly the charges.
    const pools: Array<{ credits_used: number }> = await app.db.knex('visitor_credit_pools');
    expect(pools.length).toBeGreaterThan(0);
    for (const pool of pools) expect(pool.credits_used).toBe(TIERS.anonymous.credits);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  }, 60_000);

  it('settles a run once when A is killed with SIGKILL mid-stream; B ends its stream with the charge', async () => {
    fake.setBehavior(SLOW, { text: 'word '.repeat(3000).trim(), tokenDelayMs: 5, costUsd: 0.2 });
    fake.setBehavior(FAST, { text: 'done before the crash', tokenDelayMs: 1, costUsd: 0.01 });
    const { token, userId } = await signedIn(a);
    const started = await clientOf(a, token).compare.start.mutate({ models: [FAST, SLOW], prompt: 'Crash' });
    let killed: Promise<void> | null = null;
    const followed = await collectEvents(clientOf(b, token), { runId: started.runId }, (event, seen) => {
      if (!killed && event.type === 'delta' && (seen.text[SLOW]?.length ?? 0) > 500) killed = a.kill9();
      return undefined;
    });
    await killed;
    expect(followed.error).toBeNull();
    expect(followed.events.find((e) => e.type === 'modelDone')).toMatchObject({ modelId: FAST });
    expect(followed.events.find((e) => e.type === 'modelError')).toMatchObject({
      modelId: SLOW,
      message: INTERRUPTED,
    });
    const done = followed.events.at(-1);
    expect(done?.type).toBe('done');
    const logs = await app.db.models.UsageLog.query().where('user_id', userId);
    expect(logs).toHaveLength(1);
    const user = await app.db.models.User.query().findById(userId).throwIfNotFound();
    // Exact: the counter, the usage log, the ledger and the stream's `done` all say the same.
    expect(user.credits_used_this_period).toBe(logs[0]?.credits_used);
    expect(done?.type === 'done' && done.creditsCharged).toBe(logs[0]?.credits_used);
    const ledger = await app.db.models.CreditTransaction.query().where('user_id', userId);
    expect(ledger.reduce((sum, row) => sum + row.credits_amount, 0)).toBe(-(logs[0]?.credits_used ?? 0));
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
    // The saved answer of the cut-off model keeps what was streamed.
    const saved = await app.db.models.ConversationMessage.query()
      .where({ conversation_id: started.conversationId ?? 0, model_id: SLOW })
      .first();
    expect(saved?.content.startsWith('word word')).toBe(true);
  }, 60_000);
});
