import { describe, expect, it } from 'vitest';
import { createRateLimits, RATE_LIMIT_RULES } from '../auth/rate-limits';
import { type FakeSearchServer, useFakeSearchApis } from '../testing/fake-search-servers';
import { createSearchProvider } from './create-search-provider';
import { CONNECTION_TEST_QUERY, testSearchConnection } from './test-search-connection';

let brave: FakeSearchServer;
let tavily: FakeSearchServer;
useFakeSearchApis((apis) => {
  ({ brave, tavily } = apis);
});

const signal = () => new AbortController().signal;
const urls = () => ({ braveBaseUrl: brave.url, tavilyBaseUrl: tavily.url });

describe('createSearchProvider', () => {
  it('has no provider without a usable API key', () => {
    expect(createSearchProvider('brave', null, urls())).toBeNull();
    expect(createSearchProvider('brave', { country: 'US' }, urls())).toBeNull();
    expect(createSearchProvider('tavily', { apiKey: 'short' }, urls())).toBeNull();
  });

  it('builds Brave from the stored settings, skipping a setting that is no longer valid', async () => {
    const provider = createSearchProvider(
      'brave',
      { apiKey: brave.apiKey, country: 'FR', safeSearch: 'off', count: 50 },
      urls(),
    );
    expect(provider?.name).toBe('brave');
    await provider?.search('tides', { signal: signal() });
    expect(brave.requests[0]?.params).toEqual({ q: 'tides', country: 'FR', safesearch: 'off' });
  });

  it('builds Tavily from the stored settings', async () => {
    const provider = createSearchProvider(
      'tavily',
      { apiKey: tavily.apiKey, searchDepth: 'advanced', maxResults: 7 },
      urls(),
    );
    expect(provider?.name).toBe('tavily');
    await provider?.search('tides', { signal: signal() });
    expect(tavily.requests[0]?.body).toMatchObject({ search_depth: 'advanced', max_results: 7 });
  });
});

describe('testSearchConnection', () => {
  it('runs one search and says how many results came back and how fast', async () => {
    const provider = createSearchProvider('brave', { apiKey: brave.apiKey }, urls());
    if (!provider) throw new Error('expected a provider');
    const check = await testSearchConnection(provider, signal());
    expect(check).toEqual({ ok: true, results: 3, ms: expect.any(Number) });
    expect(brave.requests.map((request) => request.query)).toEqual([CONNECTION_TEST_QUERY]);
  });

  it("gives the provider's sentence when it fails", async () => {
    const provider = createSearchProvider('tavily', { apiKey: 'not-the-right-key' }, urls());
    if (!provider) throw new Error('expected a provider');
    expect(await testSearchConnection(provider, signal())).toEqual({
      ok: false,
      message: 'Tavily refused the API key (HTTP 401).',
    });
  });
});

describe('the web search rate limits', () => {
  it('allow a user 60 searches an hour and a visitor 20', () => {
    expect(RATE_LIMIT_RULES.searchPerUser).toEqual({
      points: 60,
      durationSeconds: 3600,
      what: 'web searches',
    });
    expect(RATE_LIMIT_RULES.searchPerVisitor).toEqual({
      points: 20,
      durationSeconds: 3600,
      what: 'web searches',
    });
  });

  it('refuse the search after the limit with a sentence about web searches', async () => {
    const limits = createRateLimits({ prefix: 'test-search' });
    for (let n = 0; n < 20; n++) await limits.consume('searchPerVisitor', 'visitor-1');
    await expect(limits.consume('searchPerVisitor', 'visitor-1')).rejects.toThrow(/^Too many web searches\./);
    await limits.close();
  });
});
