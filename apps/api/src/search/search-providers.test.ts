import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type FakeSearchServer, fakeHitsFor, useFakeSearchApis } from '../testing/fake-search-servers';
import { waitFor } from '../testing/wait-for';
import { createBraveSearch } from './brave';
import { createTavilySearch } from './tavily';
import { SearchError, type SearchProvider } from './types';

let brave: FakeSearchServer;
let tavily: FakeSearchServer;
useFakeSearchApis((apis) => {
  ({ brave, tavily } = apis);
});

const signal = () => new AbortController().signal;

/** An address where nothing listens (the port was just freed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The failure as the caller sees it; fails the test when the search succeeds. */
async function failureOf(search: Promise<unknown>): Promise<unknown> {
  return search.then(
    () => expect.fail('the search should have failed'),
    (error: unknown) => error,
  );
}

describe('Brave', () => {
  it('sends the query, settings and key the way the Brave API expects them', async () => {
    const provider = createBraveSearch({
      apiKey: brave.apiKey,
      baseUrl: brave.url,
      country: 'DE',
      safeSearch: 'strict',
      count: 2,
    });
    await provider.search('tides and the moon', { signal: signal() });
    const [request] = brave.requests;
    expect(request).toMatchObject({
      method: 'GET',
      path: '/res/v1/web/search',
      query: 'tides and the moon',
      params: { q: 'tides and the moon', count: '2', country: 'DE', safesearch: 'strict' },
      keyAccepted: true,
    });
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['x-subscription-token']).toBe(brave.apiKey);
  });

  it('gives plain-text results: the <strong> marks and entities Brave sends are gone', async () => {
    const provider = createBraveSearch({ apiKey: brave.apiKey, baseUrl: brave.url });
    const results = await provider.search('tides & <moon>', { signal: signal() });
    expect(results).toEqual(fakeHitsFor('tides & <moon>'));
    expect(results[0]?.snippet).toBe('What page 1 says about tides & <moon> & more.');
  });

  it('finds nothing when Brave leaves out the web results', async () => {
    const answer = () => Promise.resolve(Response.json({ type: 'search', query: { original: 'x' } }));
    const provider = createBraveSearch({ apiKey: 'k'.repeat(20), fetch: answer });
    expect(await provider.search('x', { signal: signal() })).toEqual([]);
  });
});

describe('Tavily', () => {
  it('posts the query and settings with the key as a Bearer token', async () => {
    const provider = createTavilySearch({
      apiKey: tavily.apiKey,
      baseUrl: tavily.url,
      searchDepth: 'advanced',
      maxResults: 2,
    });
    const results = await provider.search('tides and the moon', { signal: signal() });
    const [request] = tavily.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/search', keyAccepted: true });
    expect(request?.headers.authorization).toBe(`Bearer ${tavily.apiKey}`);
    expect(request?.body).toEqual({
      query: 'tides and the moon',
      search_depth: 'advanced',
      max_results: 2,
      include_answer: false,
    });
    expect(results).toEqual(fakeHitsFor('tides and the moon').slice(0, 2));
  });

  it("says when the plan's limit is reached (Tavily's own HTTP 432)", async () => {
    tavily.setBehavior({ failStatus: 432 });
    const provider = createTavilySearch({ apiKey: tavily.apiKey, baseUrl: tavily.url });
    const error = await failureOf(provider.search('x', { signal: signal() }));
    expect(error).toEqual(
      new SearchError("Tavily refused the search: the plan's usage limit is reached (HTTP 432)."),
    );
  });
});

const providers: Array<{
  service: string;
  server: () => FakeSearchServer;
  create(options: { apiKey: string; baseUrl: string; timeoutMs?: number }): SearchProvider;
}> = [
  { service: 'Brave Search', server: () => brave, create: createBraveSearch },
  { service: 'Tavily', server: () => tavily, create: createTavilySearch },
];

describe.each(providers)('$service failures', ({ service, server, create }) => {
  const failures: Array<{
    what: string;
    behavior?: Parameters<FakeSearchServer['setBehavior']>[0];
    sentence: string;
  }> = [
    { what: 'a wrong key', sentence: `${service} refused the API key (HTTP 401).` },
    {
      what: 'a refused key (403)',
      behavior: { failStatus: 403 },
      sentence: `${service} refused the API key (HTTP 403).`,
    },
    {
      what: 'a rate limit',
      behavior: { failStatus: 429 },
      sentence: `${service} is rate-limiting requests (HTTP 429); try again shortly.`,
    },
    {
      what: 'a server error',
      behavior: { failStatus: 500 },
      sentence: `${service} answered with an error (HTTP 500).`,
    },
    {
      what: 'an answer that is not JSON',
      behavior: { malformed: 'json' },
      sentence: `${service} sent an answer that could not be read.`,
    },
    {
      what: 'JSON of the wrong shape',
      behavior: { malformed: 'shape' },
      sentence: `${service} sent an answer that could not be read.`,
    },
    {
      what: 'no answer in time',
      behavior: { delayMs: 1_000 },
      sentence: `${service} did not answer within 0.2 s.`,
    },
  ];

  it.each(failures)('$what gives a sentence without the key', async ({ what, behavior, sentence }) => {
    const fake = server();
    if (behavior) fake.setBehavior(behavior);
    const apiKey = what === 'a wrong key' ? 'wrong-key-0123456789' : fake.apiKey;
    const provider = create({ apiKey, baseUrl: fake.url, timeoutMs: 200 });
    const error = await failureOf(provider.search('tides', { signal: signal() }));
    expect(error).toBeInstanceOf(SearchError);
    expect(error).toEqual(new SearchError(sentence));
    expect(String(error)).not.toContain(apiKey);
  });

  it('says when the API cannot be reached', async () => {
    const provider = create({ apiKey: server().apiKey, baseUrl: await closedPortUrl() });
    const error = await failureOf(provider.search('tides', { signal: signal() }));
    expect(error).toEqual(new SearchError(`${service} could not be reached (ECONNREFUSED).`));
  });

  it("throws the caller's own abort as it is, not as a search failure", async () => {
    const fake = server();
    fake.setBehavior({ delayMs: 1_000 });
    const controller = new AbortController();
    const search = create({ apiKey: fake.apiKey, baseUrl: fake.url }).search('tides', {
      signal: controller.signal,
    });
    // Aborted while the API works on it (and so before the next test changes the behaviour).
    await waitFor(
      () => fake.requests.length,
      (count) => count === 1,
    );
    const reason = new Error('the comparison was stopped');
    controller.abort(reason);
    expect(await failureOf(search)).toBe(reason);
  });

  it('answers again once a failure has passed', async () => {
    const fake = server();
    fake.setBehavior({ failStatus: 500, failTimes: 1 });
    const provider = create({ apiKey: fake.apiKey, baseUrl: fake.url });
    await expect(provider.search('tides', { signal: signal() })).rejects.toBeInstanceOf(SearchError);
    await expect(provider.search('tides', { signal: signal() })).resolves.toHaveLength(3);
  });
});
