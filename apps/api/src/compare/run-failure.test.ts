import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { collectEvents, collectRun, createTestClient } from '../testing/trpc-client';
import { createTestUser } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';
import { recoverAbandonedRuns } from './run-recovery';

const MODEL = 'google/gemini-2.5-flash';

let fake: FakeOpenAiServer;
let app: TestApp;
let http: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await fake.close();
});

describe('a run that fails itself (issue 13)', () => {
  it('refuses a start whose prompt cannot be saved, and gives the hold back', async () => {
    fake.setDefault({ text: 'an answer nobody will see', tokenDelayMs: 5 });
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    await app.db.knex.schema.renameTable('conversation_messages', 'conversation_messages_away');
    const refused = await collectRun(client, { models: [MODEL], prompt: 'Doomed' }).finally(() =>
      app.db.knex.schema.renameTable('conversation_messages_away', 'conversation_messages'),
    );
    expect(refused.started).toBeNull();
    expect(refused.error?.data?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(refused.error?.message).toMatch(/could not be started\. You were not charged/);
    const fresh = await waitFor(
      async () => await app.db.models.User.query().findById(user.id).throwIfNotFound(),
      (row) => row.credits_used_this_period === 0,
    );
    expect(fresh.credits_used_this_period).toBe(0);
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  });

  it('ends the stream with one `failed` event when settling fails, keeps the hold, and recovery settles it later', async () => {
    fake.setDefault({ text: 'word '.repeat(60).trim(), tokenDelayMs: 5, costUsd: 0.03 });
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    let broke = false;
    const run = await collectRun(client, { models: [MODEL], prompt: 'Settle me' }, (event) => {
      if (!broke && event.type === 'delta') {
        broke = true;
        // Settling writes a usage log: without its table, the settling transaction fails.
        return app.db.knex.schema.renameTable('usage_logs', 'usage_logs_away').then(() => undefined);
      }
      return undefined;
    });
    await app.db.knex.schema.renameTable('usage_logs_away', 'usage_logs');
    expect(run.error).toBeNull();
    expect(run.events.at(-1)).toMatchObject({ type: 'failed', code: 'INTERNAL' });
    expect(run.events.filter((event) => event.type === 'failed')).toHaveLength(1);
    // Following again (a reload) reads the same ending once and stops: no reconnect loop.
    const again = await collectEvents(client, { runId: run.started?.runId ?? '' });
    expect(again.events.at(-1)).toMatchObject({ type: 'failed' });
    expect(again.ids).toEqual(run.ids);
    // Nothing lost: the hold is still there, and recovery settles it once its lease has run out.
    expect(await app.db.models.CreditHold.query()).toHaveLength(1);
    await app.db.models.CreditHold.query().patch({ lease_expires_at: new Date(0) });
    expect(await recoverAbandonedRuns({ ...app.services, log: () => undefined })).toBe(1);
    const [log] = await app.db.models.UsageLog.query().where('user_id', user.id);
    expect(log).toMatchObject({ credits_used: 3, models_successful: 1 });
    const answer = await app.db.models.ConversationMessage.query()
      .where({ conversation_id: run.started?.conversationId ?? 0, role: 'assistant' })
      .first();
    expect(answer?.content).toBe('word '.repeat(60).trim());
  });
});
