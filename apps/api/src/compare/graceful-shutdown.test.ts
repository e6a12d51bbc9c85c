import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess } from '../testing/api-process';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, type TestApp } from '../testing/test-app';
import { collectEvents, createTestClient } from '../testing/trpc-client';
import { createTestUser, TEST_PASSWORD } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';

const MODEL = 'google/gemini-2.5-flash';
const LONG = 'anthropic/claude-haiku-4.5';

let fake: FakeOpenAiServer;
let app: TestApp;
let api: ApiProcess | null = null;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp();
});
afterAll(async () => {
  await api?.stop();
  await app.close();
  await fake.close();
});

describe('graceful shutdown (issue 13)', () => {
  it('drains on SIGTERM: not ready, no new runs, runs in flight finish within the grace and are settled', async () => {
    api = await startApiProcess({
      DATABASE_URL: app.db.url,
      OPENROUTER_API_KEY: 'test-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
      SHUTDOWN_GRACE_MS: '1500',
    });
    const running = api;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    const { user, email } = await createTestUser(app.db);
    const { token } = await createTestClient(running.url).auth.createToken.mutate({
      email,
      password: TEST_PASSWORD,
    });
    const client = createTestClient(running.url, () => ({ authorization: `Bearer ${token}` }));
    // One short answer (finishes within the grace) and one that would take far longer (stopped at its end).
    fake.setBehavior(MODEL, { text: 'short answer '.repeat(20).trim(), tokenDelayMs: 20 });
    const short = await client.compare.start.mutate({ models: [MODEL], prompt: 'Short' });
    fake.setBehavior(LONG, { text: 'long '.repeat(2000).trim(), tokenDelayMs: 10 });
    const long = await client.compare.start.mutate({ models: [LONG], prompt: 'Long' });
    const followShort = collectEvents(client, { runId: short.runId });
    const followLong = collectEvents(client, { runId: long.runId });
    await waitFor(
      () => fake.requests.length,
      (count) => count === 2,
    );

    running.child.kill('SIGTERM');
    const readiness = await waitFor(
      async () => (await fetch(`${running.url}/readyz`)).status,
      (status) => status === 503,
    );
    expect(readiness).toBe(503);
    const refused = await client.compare.start
      .mutate({ models: [MODEL], prompt: 'Too late' })
      .catch((e) => e);
    expect(refused.data?.code).toBe('SERVICE_UNAVAILABLE');

    const [shortRun, longRun] = await Promise.all([followShort, followLong]);
    expect(shortRun.text[MODEL]).toBe('short answer '.repeat(20).trim());
    expect(shortRun.events.at(-1)).toMatchObject({ type: 'done' });
    // The long one was stopped when the grace ran out, and still settled: its stream ends with `done`.
    expect(longRun.events.find((e) => e.type === 'modelError')).toMatchObject({ message: 'Stopped.' });
    expect(longRun.events.at(-1)).toMatchObject({ type: 'done' });
    await new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    expect(running.child.exitCode).toBe(0);
    const logs = await app.db.models.UsageLog.query().where('user_id', user.id);
    expect(logs).toHaveLength(2);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  }, 30_000);
});
