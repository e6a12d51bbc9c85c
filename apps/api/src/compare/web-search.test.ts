import { ensureAppSettings } from '@compareintel/db';
import { SEARCH_CREDITS_PER_CALL, type TCompareEvent } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditRowsFor, createStaff } from '../admin/admin-testing';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import {
  type FakeSearchServer,
  type FakeWebsite,
  startFakeBrave,
  startFakeTavily,
  startFakeWebsite,
} from '../testing/fake-search-servers';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { type CollectedRun, collectRun, createTestClient, type TestClient } from '../testing/trpc-client';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

const SEARCHER = 'google/gemini-2.5-flash'; // supportsWebSearch
const OTHER_SEARCHER = 'deepseek/deepseek-chat-v3.1'; // supportsWebSearch
const NO_SEARCH = 'cohere/command-r7b-12-2024'; // supportsWebSearch: false

let upstream: FakeOpenAiServer;
let brave: FakeSearchServer;
let tavily: FakeSearchServer;
let site: FakeWebsite;
let app: TestApp;
let http: TestServer;

beforeAll(async () => {
  [upstream, brave, tavily, site] = await Promise.all([
    startFakeOpenAiServer(),
    startFakeBrave(),
    startFakeTavily(),
    startFakeWebsite(),
  ]);
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: upstream.baseUrl,
    BRAVE_SEARCH_URL: brave.url,
    TAVILY_SEARCH_URL: tavily.url,
    MODEL_TIMEOUT_MS: 20_000,
  });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await Promise.all([upstream.close(), brave.close(), tavily.close(), site.close()]);
});
beforeEach(() => {
  upstream.reset();
  brave.reset();
  tavily.reset();
});

async function useSearch(provider: 'brave' | 'tavily' | null, enabled = true): Promise<void> {
  await ensureAppSettings(app.db);
  const key = provider === 'tavily' ? tavily.apiKey : brave.apiKey;
  await app.db.models.AppSetting.query()
    .findById(1)
    .patch({
      web_search_enabled: enabled && provider !== null,
      active_search_provider: provider,
      search_provider_config: provider ? { apiKey: key } : null,
    });
}

async function signedInClient(): Promise<{ client: TestClient; userId: number }> {
  const { user } = await createTestUser(app.db);
  const { token } = await app.signIn(user);
  return {
    client: createTestClient(http.url, () => ({ authorization: `Bearer ${token}` })),
    userId: user.id,
  };
}

function eventsOf<T extends TCompareEvent['type']>(run: CollectedRun, type: T, modelId?: string) {
  return run.events.filter(
    (event): event is Extract<TCompareEvent, { type: T }> =>
      event.type === type && (modelId === undefined || ('modelId' in event && event.modelId === modelId)),
  );
}

function conversationIdOf(run: CollectedRun): number {
  const id = run.started?.conversationId;
  if (!id) throw new Error(`no conversation (${run.error?.message ?? 'no error'})`);
  return id;
}

describe('web search while answering (issue 16)', () => {
  it('searches (Brave), feeds the results back, streams the answer with its sources, and charges the search', async () => {
    await useSearch('brave');
    const { client, userId } = await signedInClient();
    expect(await client.compare.webSearchStatus.query()).toEqual({ enabled: true });
    upstream.setBehavior(SEARCHER, {
      toolRounds: [[{ name: 'web_search', arguments: { query: 'tides today' } }]],
      toolRoundText: 'Let me look that up.',
      text: 'High tide is at noon [1].',
      costUsd: 0.01,
    });

    const run = await collectRun(client, {
      models: [SEARCHER],
      prompt: 'When is high tide?',
      webSearch: true,
    });
    expect(run.error).toBeNull();

    // The tool call arrived split over chunks and was put back together: Brave got the exact query.
    expect(brave.requests).toHaveLength(1);
    expect(brave.requests[0]?.params).toMatchObject({ q: 'tides today' });
    expect(brave.requests[0]?.keyAccepted).toBe(true);
    // The card saw the call run and end with its sources, then the answer.
    const tools = eventsOf(run, 'tool', SEARCHER);
    expect(tools.map((event) => [event.state, event.tool, event.target])).toEqual([
      ['running', 'web_search', 'tides today'],
      ['done', 'web_search', 'tides today'],
    ]);
    expect(tools[1]?.sources).toEqual([
      { url: 'https://example.com/tides-today/1', title: 'Result 1 for tides today' },
      { url: 'https://example.com/tides-today/2', title: 'Result 2 for tides today' },
      { url: 'https://example.com/tides-today/3', title: 'Result 3 for tides today' },
    ]);
    expect(run.text[SEARCHER]).toBe('Let me look that up.\n\nHigh tide is at noon [1].');

    // The model was offered both tools with instructions, then given the numbered results.
    const [first, second] = upstream.requests;
    expect(first?.tools).toEqual(['web_search', 'fetch_url']);
    expect(first?.messages[0]).toMatchObject({ role: 'system' });
    expect(first?.messages[0]?.content).toContain('[1]');
    const toolMessage = second?.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toContain('[1] Result 1 for tides today');
    expect(toolMessage?.content).toContain('URL: https://example.com/tides-today/1');
    expect(toolMessage?.tool_call_id).toBeTruthy();
    expect(upstream.requests).toHaveLength(2);

    // Charged: the provider's cost of both rounds plus one search.
    const done = eventsOf(run, 'modelDone', SEARCHER)[0];
    expect(done?.searches).toBe(1);
    expect(done?.credits).toBeCloseTo(2 * 0.01 * 100 + SEARCH_CREDITS_PER_CALL, 6);
    expect(eventsOf(run, 'done')[0]?.creditsCharged).toBe(3);
    const [log] = await app.db.models.UsageLog.query().where('user_id', userId);
    expect(log?.credits_used).toBe(3);
    const web = await app.db.models.UsageLogWebSearch.query().where('usage_log_id', log?.id ?? 0);
    expect(web).toEqual([
      expect.objectContaining({
        model_id: SEARCHER,
        searches: 1,
        pages_read: 0,
        failed_calls: 0,
        credits: 0.5,
      }),
    ]);

    // Reopened: the answer keeps its sources and search count.
    const detail = await client.conversations.get.query({ id: conversationIdOf(run) });
    expect(detail.threads[SEARCHER]?.[0]).toMatchObject({
      content: 'Let me look that up.\n\nHigh tide is at noon [1].',
      searches: 1,
      notes: [],
    });
    expect(detail.threads[SEARCHER]?.[0]?.sources.map((source) => source.url)).toEqual(
      tools[1]?.sources.map((source) => source.url),
    );
  });

  it('runs two tool rounds through Tavily, numbering every source once across them', async () => {
    await useSearch('tavily');
    const { client } = await signedInClient();
    tavily.setBehavior({
      results: {
        'moon distance': [
          { title: 'Moon facts', url: 'https://space.example/moon', snippet: '384,400 km on average.' },
        ],
        'moon perigee': [
          { title: 'Perigee', url: 'https://space.example/perigee', snippet: '363,300 km.' },
          { title: 'Moon facts', url: 'https://space.example/moon', snippet: 'again' },
        ],
      },
    });
    upstream.setBehavior(SEARCHER, {
      toolRounds: [
        [{ name: 'web_search', arguments: { query: 'moon distance' } }],
        [{ name: 'web_search', arguments: { query: 'moon perigee' } }],
      ],
      text: 'About 384,400 km [1], closest 363,300 km [2].',
    });

    const run = await collectRun(client, {
      models: [SEARCHER],
      prompt: 'How far is the Moon?',
      webSearch: true,
    });
    expect(run.error).toBeNull();
    expect(tavily.requests.map((request) => request.body?.query)).toEqual(['moon distance', 'moon perigee']);
    expect(tavily.requests.every((request) => request.keyAccepted)).toBe(true);
    expect(upstream.requests).toHaveLength(3);
    // The second round's results continue the numbering; a URL seen before keeps its number.
    const secondResults = upstream.requests[2]?.messages.filter((m) => m.role === 'tool').at(-1)?.content;
    expect(secondResults).toContain('[2] Perigee');
    expect(secondResults).toContain('[1] Moon facts');
    expect(eventsOf(run, 'modelDone', SEARCHER)[0]?.searches).toBe(2);

    const detail = await client.conversations.get.query({ id: conversationIdOf(run) });
    expect(detail.threads[SEARCHER]?.[0]?.sources).toEqual([
      { url: 'https://space.example/moon', title: 'Moon facts' },
      { url: 'https://space.example/perigee', title: 'Perigee' },
    ]);
    expect(detail.threads[SEARCHER]?.[0]?.searches).toBe(2);
  });

  it('goes on answering when the provider fails mid-run: the model gets a readable error, the card a note', async () => {
    await useSearch('brave');
    const { client, userId } = await signedInClient();
    upstream.setBehavior(SEARCHER, {
      toolRounds: [
        [{ name: 'web_search', arguments: { query: 'first' } }],
        [{ name: 'web_search', arguments: { query: 'second' } }],
      ],
      text: 'What I found [1].',
    });
    // The first search answers; from the second on, Brave rate-limits.
    brave.setBehavior({ failAfter: 1, failStatus: 429 });
    const run = await collectRun(client, { models: [SEARCHER], prompt: 'Find two things', webSearch: true });
    expect(run.error).toBeNull();
    const tools = eventsOf(run, 'tool', SEARCHER);
    const failed = tools.find((event) => event.state === 'failed');
    expect(failed?.target).toBe('second');
    expect(failed?.note).toMatch(/rate-limit|429/i);
    expect(failed?.note).not.toContain(brave.apiKey);
    const toolReply = upstream.requests[2]?.messages.filter((m) => m.role === 'tool').at(-1)?.content;
    expect(toolReply).toMatch(/^Error: /);
    expect(eventsOf(run, 'modelDone', SEARCHER)[0]?.searches).toBe(1);

    const detail = await client.conversations.get.query({ id: conversationIdOf(run) });
    const answer = detail.threads[SEARCHER]?.[0];
    expect(answer).toMatchObject({ status: 'done', searches: 1 });
    expect(answer?.notes).toHaveLength(1);
    expect(answer?.notes[0]).toMatch(/^Search failed: /);
    const [log] = await app.db.models.UsageLog.query().where('user_id', userId);
    const [web] = await app.db.models.UsageLogWebSearch.query().where('usage_log_id', log?.id ?? 0);
    expect(web).toMatchObject({ searches: 1, failed_calls: 1, credits: 0.5 });
  });

  it('a model without search support answers as before, and its card says why', async () => {
    await useSearch('brave');
    const { client } = await signedInClient();
    upstream.setBehavior(SEARCHER, {
      toolRounds: [[{ name: 'web_search', arguments: { query: 'x' } }]],
      text: 'ok [1]',
    });
    upstream.setBehavior(NO_SEARCH, { text: 'From memory.' });
    const run = await collectRun(client, { models: [SEARCHER, NO_SEARCH], prompt: 'News?', webSearch: true });
    expect(run.error).toBeNull();
    expect(eventsOf(run, 'note', NO_SEARCH)[0]?.message).toMatch(/cannot search the web/);
    expect(eventsOf(run, 'note', SEARCHER)).toEqual([]);
    const plain = upstream.requests.filter((request) => request.model === NO_SEARCH);
    expect(plain).toHaveLength(1);
    expect(plain[0]?.tools).toEqual([]);
    expect(plain[0]?.messages).toEqual([{ role: 'user', content: 'News?' }]);
    expect(eventsOf(run, 'modelDone', NO_SEARCH)[0]?.searches).toBe(0);
    expect(brave.requests).toHaveLength(1);
  });

  it('with search off in settings: no tools, a note on each card, and the estimate holds no searches', async () => {
    await useSearch('brave', false);
    const { client } = await signedInClient();
    expect(await client.compare.webSearchStatus.query()).toEqual({ enabled: false });
    upstream.setBehavior(SEARCHER, {
      toolRounds: [[{ name: 'web_search', arguments: { query: 'x' } }]],
      text: 'plain',
    });
    const input = { models: [SEARCHER, OTHER_SEARCHER], prompt: 'Weather?' };
    const plainEstimate = await client.compare.estimate.query(input);
    expect((await client.compare.estimate.query({ ...input, webSearch: true })).credits).toBe(
      plainEstimate.credits,
    );

    const run = await collectRun(client, { ...input, webSearch: true });
    expect(run.error).toBeNull();
    expect(eventsOf(run, 'note').map((note) => note.message)).toEqual([
      expect.stringMatching(/turned off/),
      expect.stringMatching(/turned off/),
    ]);
    expect(upstream.requests.every((request) => request.tools.length === 0)).toBe(true);
    expect(eventsOf(run, 'tool')).toEqual([]);
    expect(brave.requests).toHaveLength(0);
  });

  it('with search on, the estimate (and so the hold) includes each searching model’s searches', async () => {
    await useSearch('brave');
    const { client } = await signedInClient();
    const input = { models: [SEARCHER, NO_SEARCH], prompt: 'Weather?' };
    const plain = await client.compare.estimate.query(input);
    const searching = await client.compare.estimate.query({ ...input, webSearch: true });
    // One searching model: at most four searches at 0.5 credits, plus its tool results' tokens.
    expect(searching.credits).toBeGreaterThanOrEqual(plain.credits + 2);
    expect(searching.credits).toBeLessThanOrEqual(plain.credits + 3);
  });

  it('keeps the model to the rules of the tools: at most four searches, readable errors for bad calls', async () => {
    await useSearch('brave');
    const { client, userId } = await signedInClient();
    brave.setBehavior({
      results: {
        nothing: [],
        long: [{ title: 'Long', url: 'https://long.example/1', snippet: `${'word '.repeat(200)}END` }],
      },
    });
    upstream.setBehavior(SEARCHER, {
      toolRounds: [
        [
          { name: 'web_search', arguments: { query: 'nothing' } },
          { name: 'web_search', arguments: { query: 'long' } },
          { name: 'web_search', arguments: { query: 'three' } },
          { name: 'web_search', arguments: { query: 'four' } },
          { name: 'web_search', arguments: { query: 'five' } },
          { name: 'web_search', arguments: { q: 'no query field' } },
          { name: 'web_search', arguments: '{"query": "cut off' },
          { name: 'fetch_url', arguments: {} },
          { name: 'calculator', arguments: { expression: '1+1' } },
        ],
      ],
      text: 'Done.',
    });
    const run = await collectRun(client, { models: [SEARCHER], prompt: 'Search a lot', webSearch: true });
    expect(run.error).toBeNull();
    // Four searches ran (the most one answer may); the fifth was refused without asking Brave.
    expect(brave.requests.map((request) => request.query).sort()).toEqual([
      'four',
      'long',
      'nothing',
      'three',
    ]);
    const replies = (upstream.requests[1]?.messages ?? [])
      .filter((m) => m.role === 'tool')
      .map((m) => m.content);
    expect(replies).toHaveLength(9);
    expect(replies[0]).toBe('No results for "nothing".');
    expect(replies[1]).toContain('[1] Long\nURL: https://long.example/1\n');
    expect(replies[1]).not.toContain('END');
    expect(replies[4]).toMatch(/^Error: This answer already made 4 searches/);
    expect(replies[5]).toMatch(/^Error: The model asked for a search without a query\. .*different query\.$/);
    expect(replies[6]).toMatch(/^Error: The model asked for a search without a query/);
    expect(replies[7]).toMatch(/^Error: The model asked to read a page without a URL\. .*different page\.$/);
    expect(replies[8]).toBe('Error: there is no tool called "calculator". Use web_search or fetch_url.');

    const tools = eventsOf(run, 'tool', SEARCHER);
    const failed = tools.filter((event) => event.state === 'failed');
    expect(failed.map((event) => [event.index, event.tool, event.target])).toEqual(
      expect.arrayContaining([
        [4, 'web_search', 'five'],
        [5, 'web_search', ''],
        [6, 'web_search', ''],
        [7, 'fetch_url', ''],
      ]),
    );
    expect(failed).toHaveLength(4);
    // Each call keeps its own index from running to its end.
    expect(new Set(tools.map((event) => event.index))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    const done = eventsOf(run, 'modelDone', SEARCHER)[0];
    expect(done?.searches).toBe(4);
    const [log] = await app.db.models.UsageLog.query().where('user_id', userId);
    const [web] = await app.db.models.UsageLogWebSearch.query().where('usage_log_id', log?.id ?? 0);
    expect(web).toMatchObject({ searches: 4, failed_calls: 4, credits: 2 });
    const detail = await client.conversations.get.query({ id: conversationIdOf(run) });
    // Saved in the order the calls ended (the refused ones end first).
    const notes = detail.threads[SEARCHER]?.[0]?.notes ?? [];
    expect(notes).toHaveLength(4);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Search failed: This answer already made 4 searches/),
        'Search failed: The model asked for a search without a query.',
        'Reading failed: The model asked to read a page without a URL.',
      ]),
    );
  });

  it('fetch_url refuses loopback, private, link-local and metadata addresses, also behind a hostname', async () => {
    await useSearch('brave');
    const { client } = await signedInClient();
    const targets = [
      `http://127.0.0.1:${site.port}/article`,
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${site.port}/article`,
    ];
    upstream.setBehavior(SEARCHER, {
      toolRounds: [targets.map((url) => ({ name: 'fetch_url', arguments: { url } }))],
      text: 'I could not read those pages.',
    });
    const before = site.requests.length;
    const run = await collectRun(client, { models: [SEARCHER], prompt: 'Read these', webSearch: true });
    expect(run.error).toBeNull();
    const failed = eventsOf(run, 'tool', SEARCHER).filter((event) => event.state === 'failed');
    expect(failed.map((event) => event.target).sort()).toEqual([...targets].sort());
    for (const event of failed) expect(event.note).toMatch(/private|local|not allowed|refused/i);
    expect(site.requests.length).toBe(before);
    expect(eventsOf(run, 'modelDone', SEARCHER)[0]).toMatchObject({ searches: 0 });
    const replies = upstream.requests[1]?.messages.filter((m) => m.role === 'tool') ?? [];
    expect(replies).toHaveLength(4);
    for (const reply of replies) expect(reply.content).toMatch(/^Error: /);
    const detail = await client.conversations.get.query({ id: conversationIdOf(run) });
    expect(detail.threads[SEARCHER]?.[0]?.sources).toEqual([]);
    expect(detail.threads[SEARCHER]?.[0]?.notes).toHaveLength(4);
  });
});

describe('fetch_url reading a page (loopback allowed for this app only)', () => {
  let openApp: TestApp;
  beforeAll(async () => {
    openApp = await createTestApp({
      OPENROUTER_API_KEY: 'test-key',
      OPENROUTER_BASE_URL: upstream.baseUrl,
      BRAVE_SEARCH_URL: brave.url,
      WEB_FETCH_ALLOW_PRIVATE: 'true',
    });
    await ensureAppSettings(openApp.db);
    await openApp.db.models.AppSetting.query()
      .findById(1)
      .patch({
        web_search_enabled: true,
        active_search_provider: 'brave',
        search_provider_config: { apiKey: brave.apiKey },
      });
  });
  afterAll(async () => {
    await openApp.close();
  });

  it('gives the model the page as readable text and lists it as a source', async () => {
    const { user } = await createTestUser(openApp.db);
    const caller = await openApp.callerAs(user);
    upstream.setBehavior(SEARCHER, {
      toolRounds: [[{ name: 'fetch_url', arguments: { url: `${site.url}/article` } }]],
      text: 'Tides come from the Moon [1].',
    });
    const started = await caller.compare.start({ models: [SEARCHER], prompt: 'Why tides?', webSearch: true });
    const conversationId = started.conversationId ?? 0;
    await expect
      .poll(
        async () => (await caller.conversations.get({ id: conversationId })).threads[SEARCHER]?.length ?? 0,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);
    const page = upstream.requests[1]?.messages.find((m) => m.role === 'tool')?.content ?? '';
    expect(page).toContain('[1] Tides & the Moon');
    expect(page).toContain('Why tides happen');
    expect(page).not.toContain('script text');
    const answer = (await caller.conversations.get({ id: conversationId })).threads[SEARCHER]?.[0];
    expect(answer?.sources).toEqual([{ url: `${site.url}/article`, title: 'Tides & the Moon' }]);
    // Reading a page is free: only its text is paid, as input tokens.
    expect(answer?.searches).toBe(0);
  });
});

describe('staff: test the search provider, count searches (issue 16)', () => {
  it('tests the stored provider with one real query, audited, never echoing the key', async () => {
    const admin = await createStaff(app, 'admin');
    const staff = await app.callerAs(admin);
    await staff.admin.settings.update({
      search: { provider: 'brave', config: { apiKey: brave.apiKey, count: 5 } },
    });
    const ok = await staff.admin.settings.testConnection();
    expect(ok).toMatchObject({ ok: true, provider: 'brave', results: 3 });
    expect(brave.requests.at(-1)?.keyAccepted).toBe(true);

    await staff.admin.settings.update({
      search: { provider: 'brave', config: { apiKey: 'wrong-key-0000' } },
    });
    const refused = await staff.admin.settings.testConnection();
    expect(refused).toMatchObject({ ok: false, provider: 'brave' });
    expect(refused.ok ? '' : refused.message).toMatch(/refused the API key/);
    expect(JSON.stringify(refused)).not.toContain('wrong-key-0000');

    const audit = (await auditRowsFor(app, { adminId: admin.id })).filter(
      (row) => row.action_type === 'settings.testSearch',
    );
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(brave.apiKey);
    expect(JSON.stringify(audit)).not.toContain('wrong-key-0000');

    // Moderators may not spend the provider's quota; the refusal is audited too.
    const moderator = await createStaff(app, 'moderator');
    const failure = await callerFailure((await app.callerAs(moderator)).admin.settings.testConnection());
    expect(failure.code).toBe('FORBIDDEN');
    expect((await auditRowsFor(app, { adminId: moderator.id })).map((row) => row.action_type)).toContain(
      'settings.testSearch',
    );
  });

  it('analytics count the searches models made', async () => {
    await useSearch('brave');
    const { client } = await signedInClient();
    upstream.setBehavior(SEARCHER, {
      toolRounds: [
        [
          { name: 'web_search', arguments: { query: 'one' } },
          { name: 'web_search', arguments: { query: 'two' } },
        ],
      ],
      text: 'Counted [1] [4].',
    });
    const staff = await app.callerAs(await createStaff(app, 'admin'));
    const today = new Date().toISOString().slice(0, 10);
    const range = { from: today, to: today, granularity: 'day' as const };
    const before = (await staff.admin.analytics.summary(range)).totals.searches ?? 0;
    const run = await collectRun(client, {
      models: [SEARCHER],
      prompt: 'Count my searches',
      webSearch: true,
    });
    expect(run.error).toBeNull();
    const after = await staff.admin.analytics.summary(range);
    expect(after.totals.searches).toBe(before + 2);
    expect(after.buckets.at(-1)?.searches).toBe(after.totals.searches);
  });
});
