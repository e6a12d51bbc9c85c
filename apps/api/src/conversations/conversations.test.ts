import type { TCompareEvent, TImportedConversation } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { createTestApp, runToEnd, type TestApp } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

const A = 'google/gemini-2.5-flash';
const B = 'openai/gpt-4o-mini';

let fake: FakeOpenAiServer;
let app: TestApp;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    MODEL_TIMEOUT_MS: 5000,
  });
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

async function signedIn(tier: 'free' | 'starter' = 'free') {
  const { user } = await createTestUser(app.db, { subscription_tier: tier });
  return { user, caller: await app.callerAs(user) };
}

type Caller = Awaited<ReturnType<typeof signedIn>>['caller'];

/** `count` comparisons, oldest first (each later one is more recently used). */
async function compareTimes(caller: Caller, prompts: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const prompt of prompts) ids.push(conversationIdOf(await runToEnd(caller, { models: [A], prompt })));
  return ids;
}

/** A visitor's conversation as the web app keeps it in localStorage. */
function visitorConversation(
  localId: string,
  prompt: string,
  updatedAt: string,
  overrides: Partial<TImportedConversation> = {},
): TImportedConversation {
  return {
    localId,
    title: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt,
    models: [A, B],
    turns: [
      {
        prompt,
        answers: {
          [A]: {
            text: `A answers ${prompt}`,
            status: 'done',
            error: null,
            metrics: { inputTokens: 12, outputTokens: 40, ttftMs: 310, durationMs: 900, credits: 0.42 },
          },
          [B]: {
            text: 'half an answ',
            status: 'error',
            error: 'The model took too long to answer.',
            metrics: { inputTokens: 12, outputTokens: 5, ttftMs: 800, durationMs: 5000, credits: null },
          },
        },
      },
    ],
    ...overrides,
  };
}

describe('conversations.import', () => {
  it('imports the newest visitor conversations into the free slots, with their answers, for free', async () => {
    const { user, caller } = await signedIn(); // free: 3 saved
    const [kept] = await compareTimes(caller, ['already saved']);
    const before = await app.db.models.User.query().findById(user.id).throwIfNotFound();

    const result = await caller.conversations.import({
      conversations: [
        visitorConversation('old', 'oldest visit', '2026-11-20T10:01:00.000Z'),
        visitorConversation('new', 'newest visit', '2026-11-20T10:03:00.000Z'),
        visitorConversation('mid', 'middle visit', '2026-11-20T10:02:00.000Z'),
      ],
    });
    expect(result).toMatchObject({ imported: 2, skipped: 1, limit: 3 });
    expect(result.results.map((r) => [r.localId, r.outcome])).toEqual([
      ['old', 'over_limit'],
      ['new', 'imported'],
      ['mid', 'imported'],
    ]);

    // The account's own conversation was not evicted to make room.
    const list = await caller.conversations.list({ limit: 10 });
    expect(list.items.map((c) => c.preview).sort()).toEqual([
      'already saved',
      'middle visit',
      'newest visit',
    ]);
    expect(list.items.some((c) => c.id === kept)).toBe(true);

    const newest = result.results.find((r) => r.localId === 'new')?.conversationId ?? 0;
    const detail = await caller.conversations.get({ id: newest });
    expect(detail).toMatchObject({
      type: 'comparison',
      modelsUsed: [A, B],
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:03:00.000Z',
    });
    expect(detail.prompts.map((p) => p.content)).toEqual(['newest visit']);
    expect(detail.threads[A]?.[0]).toMatchObject({
      content: 'A answers newest visit',
      success: true,
      status: 'done',
      inputTokens: 12,
      outputTokens: 40,
      ttftMs: 310,
      processingTimeMs: 900,
      credits: 0.42,
    });
    expect(detail.threads[B]?.[0]).toMatchObject({
      content: 'half an answ',
      success: false,
      status: 'failed',
      error: 'The model took too long to answer.',
    });

    // Nothing charged: the answers were paid for as a visitor.
    const after = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(after.credits_used_this_period).toBe(before.credits_used_this_period);
    expect(await app.db.models.CreditTransaction.query().where('user_id', user.id).resultSize()).toBe(1);
  });

  it('imports a conversation once, whether sent twice in one request or again (a double click)', async () => {
    const { user, caller } = await signedIn('starter');
    const visit = visitorConversation('v1', 'only once', '2026-11-21T09:00:00.000Z');
    const first = await caller.conversations.import({ conversations: [visit, visit] });
    expect(first).toMatchObject({ imported: 1, skipped: 1 });
    expect(first.results).toHaveLength(1);

    const [again, concurrent] = await Promise.all([
      caller.conversations.import({ conversations: [visit] }),
      caller.conversations.import({ conversations: [visit] }),
    ]);
    for (const result of [again, concurrent]) {
      expect(result.results).toEqual([
        { localId: 'v1', outcome: 'duplicate', conversationId: first.results[0]?.conversationId },
      ]);
    }
    expect(await app.db.models.Conversation.query().where('user_id', user.id).resultSize()).toBe(1);
  });

  it('refuses bad input with the field named, writing nothing', async () => {
    const { user, caller } = await signedIn();
    const good = visitorConversation('ok', 'fine prompt', '2026-11-21T09:00:00.000Z');
    const emptyPrompt = visitorConversation('bad', 'x', '2026-11-21T09:01:00.000Z', {
      turns: [{ prompt: '   ', answers: {} }],
    });
    const failure = await callerFailure(caller.conversations.import({ conversations: [good, emptyPrompt] }));
    expect(failure.code).toBe('BAD_REQUEST');
    expect(failure.message).toContain('A prompt cannot be empty');

    const strangerModel = visitorConversation('bad2', 'y', '2026-11-21T09:01:00.000Z', { models: [A] });
    const second = await callerFailure(caller.conversations.import({ conversations: [strangerModel] }));
    expect(second.message).toContain('one of the conversation’s models');

    const negative = visitorConversation('bad3', 'z', '2026-11-21T09:01:00.000Z');
    const answer = negative.turns[0]?.answers[A];
    if (answer) answer.metrics.outputTokens = -1;
    expect((await callerFailure(caller.conversations.import({ conversations: [negative] }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(await app.db.models.Conversation.query().where('user_id', user.id).resultSize()).toBe(0);
  });

  it('is for signed-in users only', async () => {
    const visit = visitorConversation('v', 'p', '2026-11-21T09:00:00.000Z');
    expect((await callerFailure(app.caller().conversations.import({ conversations: [visit] }))).code).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('pins and the saved-conversation limit', () => {
  it('never evicts a pinned conversation: the next least recently used one goes', async () => {
    const { caller } = await signedIn(); // free: 3 saved
    const [one, two, three] = await compareTimes(caller, ['one', 'two', 'three']);
    expect(await caller.conversations.setPinned({ id: one ?? 0, pinned: true })).toEqual({
      id: one,
      pinned: true,
    });
    // Pinning twice is harmless.
    await caller.conversations.setPinned({ id: one ?? 0, pinned: true });

    const [four] = await compareTimes(caller, ['four']);
    const list = await caller.conversations.list({ limit: 10 });
    expect(list.items.map((c) => c.id).sort()).toEqual([one, three, four].sort());
    expect(list.items.find((c) => c.id === one)?.pinned).toBe(true);
    expect(list.items.find((c) => c.id === three)?.pinned).toBe(false);
    expect((await caller.conversations.get({ id: one ?? 0 })).pinned).toBe(true);
    await expect(caller.conversations.get({ id: two ?? 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Unpinned, it is the least recently used again.
    await caller.conversations.setPinned({ id: one ?? 0, pinned: false });
    expect((await caller.conversations.evictionPreview()).evicts.map((c) => c.id)).toEqual([one]);
  });

  it("lets only the owner pin: someone else's conversation is NOT_FOUND", async () => {
    const owner = await signedIn();
    const [id] = await compareTimes(owner.caller, ['mine']);
    const stranger = await signedIn();
    const failure = await callerFailure(
      stranger.caller.conversations.setPinned({ id: id ?? 0, pinned: true }),
    );
    expect(failure.code).toBe('NOT_FOUND');
    expect(await app.db.models.ConversationPin.query().findById(id ?? 0)).toBeUndefined();
  });

  it('previews what a new comparison would delete: nothing with room, then the oldest unpinned', async () => {
    const { caller } = await signedIn();
    const [one, two] = await compareTimes(caller, ['one', 'two']);
    expect(await caller.conversations.evictionPreview()).toMatchObject({
      evicts: [],
      blocked: false,
      limit: 3,
      saved: 2,
    });
    const [three] = await compareTimes(caller, ['three']);
    const atLimit = await caller.conversations.evictionPreview();
    expect(atLimit).toMatchObject({ blocked: false, saved: 3 });
    expect(atLimit.evicts.map((c) => [c.id, c.preview])).toEqual([[one, 'one']]);

    await caller.conversations.setPinned({ id: one ?? 0, pinned: true });
    expect((await caller.conversations.evictionPreview()).evicts.map((c) => c.id)).toEqual([two]);

    // A follow-up makes "two" the most recently used: "three" is proposed next.
    await runToEnd(caller, { models: [A], prompt: 'more', conversationId: two ?? 0 });
    expect((await caller.conversations.evictionPreview()).evicts.map((c) => c.id)).toEqual([three]);
  });

  it('refuses a new comparison when every saved conversation is pinned, deleting and charging nothing', async () => {
    const { user, caller } = await signedIn();
    const ids = await compareTimes(caller, ['one', 'two', 'three']);
    for (const id of ids) await caller.conversations.setPinned({ id, pinned: true });
    expect(await caller.conversations.evictionPreview()).toMatchObject({ evicts: [], blocked: true });
    const before = await app.db.models.User.query().findById(user.id).throwIfNotFound();

    const refusal = await callerFailure(runToEnd(caller, { models: [A], prompt: 'four' }));
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toMatch(/all of them are pinned/);
    expect((await caller.conversations.list({ limit: 10 })).items.map((c) => c.id).sort()).toEqual(
      [...ids].sort(),
    );
    const after = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(after.credits_used_this_period).toBe(before.credits_used_this_period);
    expect(await app.db.models.CreditHold.query().where('user_id', user.id).resultSize()).toBe(0);

    // A follow-up in a pinned conversation is no new conversation: it runs.
    const events = await runToEnd(caller, { models: [A], prompt: 'go on', conversationId: ids[0] ?? 0 });
    expect(events.at(-1)?.type).toBe('done');
    // A breakout needs a slot too, and is refused the same way.
    const breakout = await callerFailure(caller.conversations.breakout({ id: ids[0] ?? 0, modelId: A }));
    expect(breakout.code).toBe('CONFLICT');
  });
});

describe('breakouts', () => {
  it('are titled "<model> · <parent title>", the parent title falling back to its prompt', async () => {
    const { caller } = await signedIn('starter');
    fake.setBehavior(A, { text: 'A says' });
    fake.setBehavior(B, { text: 'B says' });
    const parent = conversationIdOf(
      await runToEnd(caller, { models: [A, B], prompt: 'Explain  the\nmoon landing' }),
    );
    const name = app.services.models.get(B)?.name ?? B;

    const untitled = await caller.conversations.breakout({ id: parent, modelId: B });
    expect((await caller.conversations.get({ id: untitled.conversationId })).title).toBe(
      `${name} · Explain the moon landing`,
    );

    await caller.conversations.rename({ id: parent, title: 'Moon' });
    const titled = await caller.conversations.breakout({ id: parent, modelId: B });
    const detail = await caller.conversations.get({ id: titled.conversationId });
    expect(detail).toMatchObject({ title: `${name} · Moon`, parentConversationId: parent });
    // The copied answer keeps how it ended.
    expect(detail.threads[B]?.[0]).toMatchObject({ content: 'B says', status: 'done' });
    // The parent's own title is unchanged.
    expect((await caller.conversations.get({ id: parent })).title).toBe('Moon');
  });
});
