import type { TCompareEvent, TCompareRunInput } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAnswer } from '../providers/llm/mock';
import type { createCaller } from '../router';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { compareEvents, createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';

const A = 'google/gemini-2.5-flash';
const B = 'deepseek/deepseek-chat-v3.1';

async function runAll(caller: ReturnType<typeof createCaller>, input: TCompareRunInput) {
  const events: TCompareEvent[] = [];
  for await (const event of compareEvents(caller, input)) events.push(event);
  const text: Record<string, string> = {};
  for (const e of events) if (e.type === 'delta') text[e.modelId] = (text[e.modelId] ?? '') + e.text;
  return { events, text };
}

describe('mock mode', () => {
  let keyless: TestApp;
  let withKey: TestApp;
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    keyless = await createTestApp({ MOCK_FIRST_TOKEN_MS: 0, MOCK_TOKEN_DELAY_MS: 2 });
    fake = await startFakeOpenAiServer();
    withKey = await createTestApp({
      OPENROUTER_API_KEY: 'k',
      OPENROUTER_BASE_URL: fake.baseUrl,
      MOCK_FIRST_TOKEN_MS: 0,
      MOCK_TOKEN_DELAY_MS: 0,
    });
  });
  afterAll(async () => {
    await keyless.close();
    await withKey.close();
    await fake.close();
  });

  it('streams deterministic answers with usage when there is no API key, at no upstream cost', async () => {
    const input = { models: [A, B], prompt: 'Explain recursion' };
    const first = await runAll(keyless.caller({ ip: '203.0.113.1' }), input);
    const second = await runAll(keyless.caller({ ip: '203.0.113.2' }), input);
    expect(first.text).toEqual(second.text);
    expect(first.text[A]).toBe(mockAnswer(A, [{ role: 'user', content: 'Explain recursion' }]));
    expect(first.text[A]).not.toBe(first.text[B]);
    // Streamed in pieces (batched per frame), not as one block.
    expect(first.events.filter((e) => e.type === 'delta' && e.modelId === A).length).toBeGreaterThan(2);
    const done = first.events.find((e) => e.type === 'modelDone');
    expect(done).toMatchObject({ type: 'modelDone' });
    expect(done?.type === 'modelDone' && done.outputTokens).toBeGreaterThan(20);
    const log = await keyless.db.models.UsageLog.query().findOne({ ip_address: '203.0.113.1' });
    expect(log?.actual_cost).toBe(0);
    expect(log?.credits_used).toBe(1);
  });

  it('uses the mock for staff with mock mode on, and for anonymous visitors when the setting says so', async () => {
    const { user } = await createTestUser(withKey.db, { mock_mode_enabled: true });
    await runAll(await withKey.callerAs(user), { models: [A], prompt: 'staff test' });
    expect(fake.requests).toHaveLength(0);

    await runAll(withKey.caller({ ip: '203.0.113.9' }), { models: [A], prompt: 'visitor' });
    expect(fake.requests).toHaveLength(1);
    await withKey.db.models.AppSetting.query().patch({ anonymous_mock_mode_enabled: true }).where('id', 1);
    const mocked = await runAll(withKey.caller({ ip: '203.0.113.9' }), {
      models: [A],
      prompt: 'visitor again',
    });
    expect(fake.requests).toHaveLength(1);
    expect(mocked.text[A]).toContain('(mock)');
  });
});
