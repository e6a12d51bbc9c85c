import type { TCompareEvent } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess } from '../testing/api-process';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { type FakeSearchServer, startFakeBrave } from '../testing/fake-search-servers';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createTestClient } from '../testing/trpc-client';
import { createTestUser, TEST_PASSWORD } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';

const A = 'google/gemini-2.5-flash';
const B = 'anthropic/claude-haiku-4.5';

let fake: FakeOpenAiServer;
let brave: FakeSearchServer;
let app: TestApp;
const processes: ApiProcess[] = [];

function apiEnv(): Record<string, string> {
  return {
    DATABASE_URL: app.db.url,
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    HOLD_PROGRESS_MS: '100',
    HOLD_SWEEP_MS: '500',
    MODEL_TIMEOUT_MS: '60000',
    BRAVE_SEARCH_URL: brave.url,
  };
}

async function start(): Promise<ApiProcess> {
  const api = await startApiProcess(apiEnv());
  processes.push(api);
  return api;
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  brave = await startFakeBrave();
  app = await createTestApp();
});
afterAll(async () => {
  await Promise.all(processes.map((api) => api.stop()));
  await app.close();
  await fake.close();
  await brave.close();
});

/** Start a run and keep its stream open; resolves once every model has streamed `minChars`. */
function streamUntil(url: string, token: string, prompt: string, minChars: number) {
  const client = createTestClient(url, () => ({ authorization: `Bearer ${token}` }));
  const text: Record<string, string> = {};
  return new Promise<Record<string, string>>((resolve, reject) => {
    client.compare.start.mutate({ models: [A, B], prompt }).then(
      ({ runId }) =>
        client.compare.events.subscribe(
          { runId },
          {
            onData({ data: event }: { data: TCompareEvent }) {
              if (event.type !== 'delta') return;
              text[event.modelId] = (text[event.modelId] ?? '') + event.text;
              if ((text[A]?.length ?? 0) >= minChars && (text[B]?.length ?? 0) >= minChars)
                resolve({ ...text });
            },
            onError: reject,
          },
        ),
      reject,
    );
  });
}

describe('a process killed with SIGKILL mid-stream (issue 9)', () => {
  it('loses no credit and no streamed text: the next process settles every run once, from what was saved', async () => {
    // Slow, long answers: each run is still streaming when the process dies.
    fake.setDefault({ text: 'word '.repeat(2000).trim(), tokenDelayMs: 5, costUsd: 0.01 });
    const users = await Promise.all([1, 2, 3].map(() => createTestUser(app.db)));
    const first = await start();
    const visitorClient = createTestClient(first.url);
    const tokens = await Promise.all(
      users.map(
        async ({ email }) =>
          (await visitorClient.auth.createToken.mutate({ email, password: TEST_PASSWORD })).token,
      ),
    );

    const streamed = await Promise.all(
      tokens.flatMap((token, i) =>
        [0, 1].map((k) => streamUntil(first.url, token, `Question ${i}.${k}`, 400)),
      ),
    );
    // Let at least one progress write land after the text each client has seen.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await first.kill9();

    const holds = await app.db.models.CreditHold.query();
    expect(holds).toHaveLength(6);
    const heldUsers = await app.db.models.User.query().whereIn(
      'id',
      users.map(({ user }) => user.id),
    );
    for (const user of heldUsers) expect(user.credits_used_this_period).toBeGreaterThan(0);

    // Two processes start at once on the same database: each run is still settled exactly once.
    const [second, third] = await Promise.all([start(), start()]);
    const settledBanner = `${second.output()}${third.output()}`;
    expect(settledBanner).toMatch(/Settled \d+ comparison/);

    // Settled at start-up (or, where the two processes collided on a row, by the next sweep).
    expect(
      await waitFor(
        async () => await app.db.models.CreditHold.query(),
        (rows) => rows.length === 0,
      ),
    ).toHaveLength(0);
    const logs = await app.db.models.UsageLog.query().whereIn(
      'user_id',
      users.map(({ user }) => user.id),
    );
    expect(logs).toHaveLength(6);
    for (const log of logs) {
      // Cut off mid-answer: charged for what was streamed, never for nothing.
      expect(log.models_requested).toBe(2);
      expect(log.models_successful).toBe(0);
      expect(log.credits_used).toBeGreaterThanOrEqual(1);
      expect(log.output_tokens).toBeGreaterThan(0);
    }

    for (const { user } of users) {
      const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
      const userLogs = logs.filter((log) => log.user_id === user.id);
      const charged = userLogs.reduce((sum, log) => sum + (log.credits_used ?? 0), 0);
      // The counter holds exactly the charges: every hold was replaced by its charge, nothing leaked.
      expect(fresh.credits_used_this_period).toBe(charged);
      expect(fresh.total_credits_used).toBe(charged);
      const ledger = await app.db.models.CreditTransaction.query().where('user_id', user.id);
      expect(ledger.reduce((sum, row) => sum + row.credits_amount, 0)).toBe(-charged);
    }

    // Every partial answer is saved, at least as long as what its client had seen before the crash.
    const answers = await app.db.models.ConversationMessage.query()
      .where('role', 'assistant')
      .withGraphFetched('detail');
    expect(answers).toHaveLength(12);
    const longestSeen = Math.min(...streamed.flatMap((text) => [text[A]?.length ?? 0, text[B]?.length ?? 0]));
    for (const answer of answers) {
      expect(answer.success).toBe(false);
      expect(answer.content.length).toBeGreaterThanOrEqual(Math.min(400, longestSeen));
      expect(answer.content.startsWith('word word')).toBe(true);
      expect(answer.detail).toMatchObject({
        status: 'stopped',
        error: expect.stringMatching(/server stopped/),
      });
    }

    // A third start finds nothing left to settle: nothing is charged twice.
    await Promise.all([second.stop(), third.stop()]);
    const fourth = await start();
    expect(fourth.output()).not.toMatch(/Settled \d+ comparison/);
    const after = await app.db.models.UsageLog.query().whereIn(
      'user_id',
      users.map(({ user }) => user.id),
    );
    expect(after).toHaveLength(6);
  }, 90_000);

  it('settles a run whose lease ran out on another host without waiting for a restart', async () => {
    fake.setDefault({ text: 'slow '.repeat(3000).trim(), tokenDelayMs: 5 });
    const { user, email } = await createTestUser(app.db);
    const running =
      processes.find((api) => api.child.exitCode === null && api.child.signalCode === null) ??
      (await start());
    const { token } = await createTestClient(running.url).auth.createToken.mutate({
      email,
      password: TEST_PASSWORD,
    });
    await streamUntil(running.url, token, 'Lease', 100);
    await running.kill9();
    // As if the process had run on another machine: only its lease tells that it is gone.
    await app.db.models.CreditHold.query().patch({
      owner: 'elsewhere/1/dead',
      lease_expires_at: new Date(0),
    });

    const next = await startApiProcess({ ...apiEnv(), HOLD_SWEEP_MS: '200' });
    processes.push(next);
    const logs = await waitFor(
      async () => await app.db.models.UsageLog.query().where('user_id', user.id),
      (rows) => rows.length === 1,
    );
    expect(logs).toHaveLength(1);
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_used_this_period).toBe(logs[0]?.credits_used);
  }, 60_000);

  it('keeps an answer’s searches and sources through a kill -9: charged and saved by recovery (issue 16)', async () => {
    await app.db.models.AppSetting.query()
      .findById(1)
      .patch({
        web_search_enabled: true,
        active_search_provider: 'brave',
        search_provider_config: { apiKey: brave.apiKey },
      });
    fake.setDefault({});
    fake.setBehavior(A, {
      toolRounds: [[{ name: 'web_search', arguments: { query: 'crash course' } }]],
      text: 'found '.repeat(3000).trim(),
      tokenDelayMs: 5,
    });
    const { user, email } = await createTestUser(app.db);
    const api = await start();
    const client = createTestClient(api.url);
    const { token } = await client.auth.createToken.mutate({ email, password: TEST_PASSWORD });
    const authed = createTestClient(api.url, () => ({ authorization: `Bearer ${token}` }));
    const { runId } = await authed.compare.start.mutate({
      models: [A],
      prompt: 'Search, then crash',
      webSearch: true,
    });
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      const subscription = authed.compare.events.subscribe(
        { runId },
        {
          onData({ data: event }: { data: TCompareEvent }) {
            if (event.type === 'delta') seen += event.text.length;
            if (seen >= 300) {
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await api.kill9();

    await start();
    const [log] = await waitFor(
      async () => await app.db.models.UsageLog.query().where('user_id', user.id),
      (rows) => rows.length === 1,
    );
    const [web] = await app.db.models.UsageLogWebSearch.query().where('usage_log_id', log?.id ?? 0);
    expect(web).toMatchObject({ model_id: A, searches: 1, credits: 0.5 });
    const [answer] = await app.db.models.ConversationMessage.query()
      .where('role', 'assistant')
      .whereIn('conversation_id', app.db.models.Conversation.query().select('id').where('user_id', user.id))
      .withGraphFetched('[sources, toolCalls]');
    expect(answer?.content.startsWith('found found')).toBe(true);
    expect(answer?.sources?.map((source) => source.url)).toEqual([
      'https://example.com/crash-course/1',
      'https://example.com/crash-course/2',
      'https://example.com/crash-course/3',
    ]);
    expect(answer?.toolCalls).toEqual([
      expect.objectContaining({ tool: 'web_search', target: 'crash course', state: 'done' }),
    ]);
  }, 60_000);
});
