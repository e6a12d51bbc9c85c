import type { TCompareEvent, TCompareStarted } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { compareEvents, createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';

// Models every signed-in user and visitor may pick.
const A = 'google/gemini-2.5-flash';
const B = 'deepseek/deepseek-chat-v3.1';
const C = 'cohere/command-r7b-12-2024';
const MODELS = [A, B, C];

let fake: FakeOpenAiServer;
let app: TestApp;
let ipCounter = 0;

function nextIp(): string {
  ipCounter += 1;
  return `10.17.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

/** Every id and display name of the run's models: none may appear in an answer before the vote. */
function secrets(): string[] {
  return MODELS.flatMap((id) => [id, app.services.models.get(id)?.name ?? id]);
}

function leaked(value: unknown): string[] {
  const text = JSON.stringify(value);
  return secrets().filter((secret) => text.includes(secret));
}

type Caller = Awaited<ReturnType<TestApp['callerAs']>>;

async function blindRun(caller: Caller, prompt = 'Which is better?') {
  let started: TCompareStarted | null = null;
  const events: TCompareEvent[] = [];
  for await (const event of compareEvents(caller, { models: MODELS, prompt, blind: true }, (s) => {
    started = s;
  })) {
    events.push(event);
  }
  if (!started) throw new Error('not started');
  return { started: started as TCompareStarted, events };
}

async function signedIn(overrides = {}) {
  const { user } = await createTestUser(app.db, overrides);
  return { user, caller: await app.callerAs(user, { ip: nextIp() }) };
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp(
    { OPENROUTER_API_KEY: 'test-key', OPENROUTER_BASE_URL: fake.baseUrl, MODEL_TIMEOUT_MS: 5000 },
    { rateLimitRules: { votePerVisitorIp: { points: 3, durationSeconds: 3600, what: 'votes' } } },
  );
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setDefault({ text: 'A plain answer in a few words.' });
});

describe('blind runs: labels until the vote', () => {
  it('answers labels only (start, every event, conversations, credit history) until the vote, then names', async () => {
    const { caller } = await signedIn();
    const { started, events } = await blindRun(caller);
    expect(started.models).toEqual(['Model A', 'Model B', 'Model C']);
    expect(started.blind).toBe(true);
    expect(leaked(started)).toEqual([]);
    expect(events.map((event) => event.type)).toContain('modelDone');
    expect(events[0]).toMatchObject({ type: 'started', models: ['Model A', 'Model B', 'Model C'] });
    expect(
      events
        .filter((event) => event.type === 'modelDone')
        .map((e) => e.modelId)
        .sort(),
    ).toEqual(['Model A', 'Model B', 'Model C']);
    expect(leaked(events)).toEqual([]);

    const conversationId = started.conversationId ?? 0;
    const before = await caller.conversations.get({ id: conversationId });
    expect(Object.keys(before.threads)).toEqual(['Model A', 'Model B', 'Model C']);
    expect(before.modelsUsed).toEqual(['Model A', 'Model B', 'Model C']);
    expect(before.blindRunId).toBe(started.runId);
    expect(leaked(before)).toEqual([]);
    expect(leaked(await caller.conversations.list())).toEqual([]);
    expect(leaked(await caller.credits.history({ limit: 10 }))).toEqual([]);
    await expect(caller.arena.reveal({ runId: started.runId })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });

    const vote = await caller.arena.vote({ runId: started.runId, outcome: 'best', ranking: ['Model B'] });
    expect(Object.keys(vote.revealed).sort()).toEqual(['Model A', 'Model B', 'Model C']);
    expect(
      Object.values(vote.revealed)
        .map((model) => model.modelId)
        .sort(),
    ).toEqual([...MODELS].sort());
    expect(vote.revealed['Model A']?.name).toBe(
      app.services.models.get(vote.revealed['Model A']?.modelId ?? '')?.name,
    );

    const after = await caller.conversations.get({ id: conversationId });
    expect(Object.keys(after.threads).sort()).toEqual([...MODELS].sort());
    expect(after.blindRunId).toBeNull();
    // The cards keep their order once named: Model A's model first, and so on.
    expect(after.modelsUsed).toEqual(
      ['Model A', 'Model B', 'Model C'].map((label) => vote.revealed[label]?.modelId),
    );
    expect((await caller.conversations.list()).items[0]?.modelsUsed.sort()).toEqual([...MODELS].sort());
    expect(await caller.arena.reveal({ runId: started.runId })).toMatchObject({
      outcome: 'best',
      ranking: ['Model B'],
    });
    const row = await app.db.models.ArenaVote.query().findOne({ blind_run_id: started.runId });
    expect(row?.ranking[0]).toBe(vote.revealed['Model B']?.modelId);
    expect(row).toMatchObject({ outcome: 'best', is_anonymous: false });
  });

  it('labels the models at random (card order does not give them away)', async () => {
    const { caller } = await signedIn();
    const seen = new Set<string>();
    for (let i = 0; i < 8 && seen.size < 2; i += 1) {
      const { started } = await blindRun(caller, `Round ${i}`);
      const vote = await caller.arena.vote({ runId: started.runId, outcome: 'all_good' });
      seen.add(vote.revealed['Model A']?.modelId ?? '');
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('refuses a blind run of one model, a blind follow-up, and continuing a blind conversation before the vote', async () => {
    const { caller } = await signedIn();
    await expect(caller.compare.start({ models: [A], prompt: 'Hi', blind: true })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const { started } = await blindRun(caller);
    const conversationId = started.conversationId ?? 0;
    await expect(
      caller.compare.start({ models: MODELS, prompt: 'Again', blind: true, conversationId }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.compare.start({ models: [A], prompt: 'More', conversationId })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    await expect(caller.conversations.breakout({ id: conversationId, modelId: A })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // Neither a share link nor an export may name the models before the vote.
    await expect(caller.shares.create({ conversationId })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(caller.conversations.export({ id: conversationId, format: 'json' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await caller.arena.vote({ runId: started.runId, outcome: 'all_bad' });
    expect((await caller.conversations.export({ id: conversationId, format: 'json' })).content).toContain(A);
    await caller.shares.create({ conversationId });
    const follow = await caller.compare.start({ models: [A], prompt: 'More', conversationId });
    expect(follow.models).toEqual([A]);
    await app.services.runs.get(follow.runId)?.finished;
  });

  it('stops one card by its label', async () => {
    fake.setDefault({ text: 'slow words keep coming here one by one', tokenDelayMs: 150 });
    const { caller } = await signedIn();
    const started = await caller.compare.start({ models: MODELS, prompt: 'Slow', blind: true });
    expect(await caller.compare.stop({ runId: started.runId, modelId: 'Model B' })).toEqual({
      stopped: true,
    });
    await app.services.runs.get(started.runId)?.finished;
    const view = await caller.conversations.get({ id: started.conversationId ?? 0 });
    expect(view.threads['Model B']?.[0]?.status).toBe('stopped');
    expect(leaked(view)).toEqual([]);
  });
});

describe('arena.vote rules', () => {
  it('only after every card ended: refused while running (nothing revealed), accepted after', async () => {
    fake.setDefault({ text: 'slow words keep coming here one by one', tokenDelayMs: 120 });
    const { caller } = await signedIn();
    const started = await caller.compare.start({ models: MODELS, prompt: 'Slow', blind: true });
    const early = caller.arena.vote({ runId: started.runId, outcome: 'best', ranking: ['Model A'] });
    await expect(early).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(early.catch((error: unknown) => JSON.stringify(error))).resolves.not.toMatch(
      /gemini|deepseek|cohere/i,
    );
    expect(await app.db.models.ArenaVote.query().where('blind_run_id', started.runId)).toHaveLength(0);
    await app.services.runs.get(started.runId)?.finished;
    expect((await app.db.models.BlindRun.query().findById(started.runId))?.finished_at).toBeInstanceOf(Date);
    await expect(
      caller.arena.vote({ runId: started.runId, outcome: 'best', ranking: ['Model A'] }),
    ).resolves.toHaveProperty('revealed');
  });

  it('only by its owner (another user: NOT_FOUND), and only once (CONFLICT)', async () => {
    const { caller } = await signedIn();
    const { caller: stranger } = await signedIn();
    const { started } = await blindRun(caller);
    await expect(stranger.arena.vote({ runId: started.runId, outcome: 'all_good' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(stranger.arena.reveal({ runId: started.runId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      app.caller({ ip: nextIp() }).arena.vote({ runId: started.runId, outcome: 'all_good' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await caller.arena.vote({
      runId: started.runId,
      outcome: 'ranking',
      ranking: ['Model C', 'Model A', 'Model B'],
    });
    await expect(caller.arena.vote({ runId: started.runId, outcome: 'all_good' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await app.db.models.ArenaVote.query().where('blind_run_id', started.runId)).toHaveLength(1);
  });

  it('bad input is BAD_REQUEST and writes nothing', async () => {
    const { caller } = await signedIn();
    const { started } = await blindRun(caller);
    const runId = started.runId;
    const bad = [
      { runId, outcome: 'best' as const },
      { runId, outcome: 'best' as const, ranking: ['Model D'] },
      { runId, outcome: 'ranking' as const, ranking: ['Model A', 'Model B'] },
      { runId, outcome: 'ranking' as const, ranking: ['Model A', 'Model A', 'Model B'] },
      { runId, outcome: 'all_good' as const, ranking: ['Model A'] },
    ];
    for (const input of bad) {
      await expect(caller.arena.vote(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await app.db.models.ArenaVote.query().where('blind_run_id', runId)).toHaveLength(0);
    expect((await app.db.models.BlindRun.query().findById(runId))?.revealed_at).toBeNull();
  });

  it('visitors: their run by its secret (a wrong secret is NOT_FOUND), anonymous votes, rate-limited per address', async () => {
    const ip = nextIp();
    const visitor = app.caller({ ip });
    const { started, events } = await blindRun(visitor);
    expect(started.conversationId).toBeNull();
    expect(leaked([started, events])).toEqual([]);
    const runSecret = started.runSecret ?? '';
    await expect(
      visitor.arena.vote({ runId: started.runId, runSecret: `${runSecret}x`, outcome: 'all_good' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const vote = await visitor.arena.vote({
      runId: started.runId,
      runSecret,
      outcome: 'best',
      ranking: ['Model C'],
    });
    expect(Object.keys(vote.revealed)).toHaveLength(3);
    expect(await app.db.models.ArenaVote.query().findOne({ blind_run_id: started.runId })).toMatchObject({
      is_anonymous: true,
      user_id: null,
    });
    // Three attempts an hour per address in this app (30 in production): the fourth is refused.
    await expect(
      visitor.arena.vote({ runId: started.runId, runSecret, outcome: 'all_good' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      visitor.arena.vote({ runId: started.runId, runSecret, outcome: 'all_good' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    // A signed-in user is not limited by the visitors' rule.
    const { caller } = await signedIn();
    for (let i = 0; i < 4; i += 1) {
      await expect(caller.arena.vote({ runId: started.runId, outcome: 'all_good' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });
});

describe('arena.leaderboard', () => {
  it('mine counts only my votes; global is staff only, with visitors apart', async () => {
    const { caller: me } = await signedIn();
    const { caller: other } = await signedIn();
    const mine = await blindRun(me);
    const myVote = await me.arena.vote({ runId: mine.started.runId, outcome: 'best', ranking: ['Model A'] });
    const winner = myVote.revealed['Model A']?.modelId;
    const theirs = await blindRun(other);
    await other.arena.vote({ runId: theirs.started.runId, outcome: 'all_bad' });

    const board = await me.arena.leaderboard({ scope: 'mine' });
    if (board.scope !== 'mine') throw new Error('expected my board');
    expect(board.mine.votes).toBe(1);
    expect(board.mine.entries[0]).toMatchObject({ rank: 1, modelId: winner, votes: 1, wins: 2, losses: 0 });
    // One "best" of three: the worked example's numbers (see arena-rating.test.ts) for the winner's side.
    expect(board.mine.entries[0]?.rating).toBeGreaterThan(1000);
    expect(board.mine.entries.slice(1).every((entry) => entry.rating < 1000 && entry.losses === 1)).toBe(
      true,
    );

    await expect(me.arena.leaderboard({ scope: 'global' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const visitorRun = await blindRun(app.caller({ ip: nextIp() }));
    await app.caller({ ip: nextIp() }).arena.vote({
      runId: visitorRun.started.runId,
      runSecret: visitorRun.started.runSecret ?? '',
      outcome: 'all_good',
    });
    const { caller: staff } = await signedIn({ role: 'admin', is_admin: true });
    const global = await staff.arena.leaderboard({ scope: 'global' });
    if (global.scope !== 'global') throw new Error('expected the global board');
    const allRegistered = await app.db.models.ArenaVote.query().where('is_anonymous', false).resultSize();
    const allAnonymous = await app.db.models.ArenaVote.query().where('is_anonymous', true).resultSize();
    expect(global.registered.votes).toBe(allRegistered);
    expect(global.anonymous.votes).toBe(allAnonymous);
    expect(global.anonymous.votes).toBeGreaterThanOrEqual(1);
    expect(global.registered.votes).toBeGreaterThanOrEqual(2);
  });

  it('is for signed-in users', async () => {
    await expect(app.caller({ ip: nextIp() }).arena.leaderboard({ scope: 'mine' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
