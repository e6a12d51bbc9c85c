import { randomBytes } from 'node:crypto';
import type { TCompareEvent, TCompareRunInput } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { createCaller } from '../router';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import {
  compareEvents,
  createTestApp,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../testing/test-app';
import { collectEvents, collectRun, createTestClient } from '../testing/trpc-client';
import { createTestUser } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';

// Estimated at 1 credit each for a short prompt (list price × expected output tokens < 1 credit).
const CHEAP = 'google/gemini-2.5-flash';
const CHEAP_TOO = 'deepseek/deepseek-chat-v3.1';
// Registered users only: $1 / $5 per million tokens in / out.
const HAIKU = 'anthropic/claude-haiku-4.5';

type Caller = ReturnType<typeof createCaller>;

let fake: FakeOpenAiServer;
let app: TestApp;
let http: TestServer;
let counter = 0;

function fingerprint(): string {
  return randomBytes(32).toString('hex');
}

function visitorIp(): string {
  counter += 1;
  return `198.51.${Math.floor(counter / 250)}.${counter % 250}`;
}

/** Drain a run through createCaller; 'refused' when admission said no (with its code). */
async function drain(
  caller: Caller,
  input: TCompareRunInput,
): Promise<TCompareEvent[] | { refused: string }> {
  try {
    const events: TCompareEvent[] = [];
    for await (const event of compareEvents(caller, input)) events.push(event);
    return events;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
    return { refused: code };
  }
}

async function usageFor(where: { ip?: string; userId?: number }) {
  const query = app.db.models.UsageLog.query().orderBy('id');
  if (where.ip) query.where('ip_address', where.ip);
  if (where.userId) query.where('user_id', where.userId);
  return query;
}

function sumCredits(rows: ReadonlyArray<{ credits_used: number | null }>): number {
  return rows.reduce((sum, row) => sum + (row.credits_used ?? 0), 0);
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    MODEL_TIMEOUT_MS: 5000,
  });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({ text: 'short answer', costUsd: 0.001 });
});

describe('the visitor pool (issue 9)', () => {
  it('admits exactly one pool of runs per visitor under 100 concurrent runs each, and a shared fingerprint shares it', async () => {
    const visitors = [0, 1].map(() => ({ ip: visitorIp(), fingerprint: fingerprint() }));
    const results = await Promise.all(
      visitors.flatMap((visitor) =>
        Array.from({ length: 100 }, (_, i) =>
          drain(app.caller({ ip: visitor.ip }), {
            models: [CHEAP],
            prompt: `Run ${i}`,
            fingerprint: visitor.fingerprint,
          }),
        ),
      ),
    );
    const served = results.filter((result) => Array.isArray(result));
    const refused = results.filter((result) => !Array.isArray(result));
    expect(served).toHaveLength(100);
    expect(refused.every((result) => 'refused' in result && result.refused === 'PAYMENT_REQUIRED')).toBe(
      true,
    );
    for (const visitor of visitors) {
      const rows = await usageFor({ ip: visitor.ip });
      expect(rows).toHaveLength(50);
      expect(sumCredits(rows)).toBe(50);
      // Nobody was served for nothing.
      expect(rows.every((row) => row.credits_used === 1)).toBe(true);
    }
    // A new address with a spent fingerprint gets nothing more.
    const sameBrowser = await drain(app.caller({ ip: visitorIp() }), {
      models: [CHEAP],
      prompt: 'From another network',
      fingerprint: visitors[0]?.fingerprint,
    });
    expect(sameBrowser).toEqual({ refused: 'PAYMENT_REQUIRED' });
    expect(await app.db.models.CreditHold.query()).toHaveLength(0);
  });

  it('gives never-verified accounts no fresh pool: they draw on their IP and fingerprint’s visitor pool', async () => {
    const ip = visitorIp();
    const browser = fingerprint();
    // 5 credits a run (reported cost $0.05), held at 1 and charged within what the pool has.
    fake.setDefault({ text: 'five credit answer', costUsd: 0.05 });
    const visitorRun = await drain(app.caller({ ip }), {
      models: [CHEAP],
      prompt: 'Visitor',
      fingerprint: browser,
    });
    expect(Array.isArray(visitorRun)).toBe(true);

    let served = 1;
    for (let account = 0; account < 5; account += 1) {
      const { user } = await createTestUser(app.db, { is_verified: false });
      const caller = await app.callerAs(user, { ip });
      for (;;) {
        const run = await drain(caller, { models: [CHEAP], prompt: 'Throwaway', fingerprint: browser });
        if (!Array.isArray(run)) {
          expect(run).toEqual({ refused: 'PAYMENT_REQUIRED' });
          break;
        }
        served += 1;
      }
    }
    const rows = await usageFor({ ip });
    expect(served).toBe(10);
    expect(sumCredits(rows)).toBe(50);
    const balance = await (
      await app.callerAs((await createTestUser(app.db, { is_verified: false })).user, { ip })
    ).credits.balance();
    expect(balance.remaining).toBe(0);
  });
});

describe('what a comparison is charged (issue 9)', () => {
  it('a client that goes away does not stop the run: it finishes, is charged in full, and replays to a new subscriber', async () => {
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    const answer = 'token '.repeat(600).trim();
    fake.setBehavior(HAIKU, { text: answer, tokenDelayMs: 2, costUsd: 0.5 });
    // Read a fifth of the answer, then go away (a closed tab, a dropped connection).
    const seen = await collectRun(
      client,
      { models: [HAIKU], prompt: 'Tell me everything' },
      (event, collected) =>
        event.type === 'delta' && (collected.text[HAIKU]?.length ?? 0) >= answer.length * 0.2
          ? 'unsubscribe'
          : undefined,
    );
    expect(seen.text[HAIKU]?.length).toBeLessThan(answer.length);
    const [log] = await waitFor(
      () => usageFor({ userId: user.id }),
      (rows) => rows.length === 1,
    );
    expect(log).toMatchObject({ models_successful: 1, credits_used: 50 });
    // Coming back replays the whole run from its log, ending with the same charge.
    const again = await collectEvents(client, { runId: seen.started?.runId ?? '' });
    expect(again.text[HAIKU]).toBe(answer);
    expect(again.events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 50 });
  });

  it('charges a model the user stopped for what it streamed, keeps the finished one, and a provider failure is free', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    fake.setBehavior(CHEAP, { text: 'finished answer', costUsd: 0.02 });
    fake.setBehavior(HAIKU, { text: 'slow '.repeat(400).trim(), tokenDelayMs: 5, costUsd: 0.9 });
    fake.setBehavior(CHEAP_TOO, { text: 'partial text before the failure', errorAfterPieces: 3 });
    const events: TCompareEvent[] = [];
    let haikuText = '';
    for await (const event of compareEvents(caller, {
      models: [CHEAP, HAIKU, CHEAP_TOO],
      prompt: 'Mixed',
    })) {
      events.push(event);
      if (event.type === 'delta' && event.modelId === HAIKU) {
        haikuText += event.text;
        const started = events[0];
        if (haikuText.length > 200 && started?.type === 'started') {
          await caller.compare.stop({ runId: started.runId, modelId: HAIKU });
        }
      }
    }
    const done = events.at(-1);
    const [log] = await usageFor({ userId: user.id });
    const started = events[0];
    if (started?.type !== 'started' || started.conversationId === null) throw new Error('not started');
    const conversation = await caller.conversations.get({ id: started.conversationId });
    const answers = Object.fromEntries(
      Object.entries(conversation.threads).map(([modelId, thread]) => [modelId, thread[0]]),
    );
    expect(answers[CHEAP]).toMatchObject({ success: true, status: 'done', credits: 2 });
    expect(answers[HAIKU]).toMatchObject({ success: false, status: 'stopped', error: 'Stopped.' });
    expect(answers[HAIKU]?.credits).toBeGreaterThan(0);
    // A failure after some text keeps both the text and the reason.
    expect(answers[CHEAP_TOO]).toMatchObject({
      success: false,
      status: 'failed',
      content: expect.stringContaining('partial'),
      error: expect.stringMatching(/./),
      credits: 0,
    });
    const expected = Math.max(1, Math.ceil(2 + (answers[HAIKU]?.credits ?? 0)));
    expect(log?.credits_used).toBe(expected);
    expect(done).toMatchObject({ type: 'done', creditsCharged: expected });
  });

  it('never charges a free pool past what it had, even when the answer cost more than the estimate', async () => {
    const { user } = await createTestUser(app.db, { credits_used_this_period: 95 });
    const caller = await app.callerAs(user);
    // Estimated at 1 credit, but the provider reports $0.50 = 50 credits.
    fake.setBehavior(CHEAP, { text: 'an expensive answer', costUsd: 0.5 });
    const events = await drain(caller, { models: [CHEAP], prompt: 'Expensive' });
    expect(Array.isArray(events) && events.at(-1)).toMatchObject({
      type: 'done',
      creditsCharged: 5,
      creditsRemaining: 0,
    });
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.credits_used_this_period).toBe(100);
    const [log] = await usageFor({ userId: user.id });
    expect(log).toMatchObject({ credits_used: 5, is_overage: false });
  });
});

describe('who may stop a run (issue 9)', () => {
  it('refuses to stop a run for another user, for a visitor on the same IP, and for a wrong secret', async () => {
    fake.setDefault({ text: 'steady '.repeat(150).trim(), tokenDelayMs: 3 });
    const { user: owner } = await createTestUser(app.db);
    const { user: stranger } = await createTestUser(app.db);
    const ownerCaller = await app.callerAs(owner);
    const strangerCaller = await app.callerAs(stranger);
    const ip = visitorIp();
    const visitorCaller = app.caller({ ip });
    const neighbour = app.caller({ ip });

    const attempts: Array<{ stopped: boolean }> = [];
    const runFor = async (
      caller: Caller,
      others: Array<(runId: string) => Promise<{ stopped: boolean }>>,
    ) => {
      const events: TCompareEvent[] = [];
      let tried = false;
      let secret: string | null = null;
      const run = compareEvents(caller, { models: [CHEAP], prompt: 'Mine' }, (started) => {
        secret = started.runSecret;
      });
      for await (const event of run) {
        events.push(event);
        const started = events[0];
        if (!tried && event.type === 'delta' && started?.type === 'started') {
          tried = true;
          for (const attempt of others) attempts.push(await attempt(started.runId));
        }
      }
      return { events, secret };
    };

    const { events: userRun, secret: userSecret } = await runFor(ownerCaller, [
      (runId) => strangerCaller.compare.stop({ runId }),
    ]);
    const { events: visitorRun, secret: visitorSecret } = await runFor(visitorCaller, [
      (runId) => neighbour.compare.stop({ runId }),
      (runId) => neighbour.compare.stop({ runId, runSecret: 'not-the-secret-at-all' }),
      (runId) => strangerCaller.compare.stop({ runId }),
    ]);
    expect(attempts).toEqual([
      { stopped: false },
      { stopped: false },
      { stopped: false },
      { stopped: false },
    ]);
    for (const events of [userRun, visitorRun]) {
      expect(events.find((e) => e.type === 'modelDone')).toMatchObject({ modelId: CHEAP });
    }
    // The secret is what the visitor's own start answered; users have none (their session is the proof).
    expect(visitorSecret).toMatch(/^[\w-]{24,}$/);
    expect(userSecret).toBeNull();
  });
});
