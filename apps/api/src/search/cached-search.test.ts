import { describe, expect, it } from 'vitest';
import { type FakeSearchServer, useFakeSearchApis } from '../testing/fake-search-servers';
import { waitFor } from '../testing/wait-for';
import { createBraveSearch } from './brave';
import { createSearchCache, normalizeQuery } from './cached-search';
import { createTavilySearch } from './tavily';
import { SearchError } from './types';

let brave: FakeSearchServer;
let tavily: FakeSearchServer;
useFakeSearchApis((apis) => {
  ({ brave, tavily } = apis);
});

const signal = () => new AbortController().signal;
const braveSearch = () => createBraveSearch({ apiKey: brave.apiKey, baseUrl: brave.url });

describe('the search cache', () => {
  it('answers a repeated search (case and spacing aside) without asking the API again', async () => {
    const search = createSearchCache().wrap(braveSearch());
    const first = await search.search('Tides and the Moon', { signal: signal() });
    const second = await search.search('  tides   and the moon ', { signal: signal() });
    expect(second).toEqual(first);
    expect(brave.requests).toHaveLength(1);
  });

  it('asks again for another query, and per provider', async () => {
    const cache = createSearchCache();
    await cache.wrap(braveSearch()).search('tides', { signal: signal() });
    await cache.wrap(braveSearch()).search('moon', { signal: signal() });
    await cache
      .wrap(createTavilySearch({ apiKey: tavily.apiKey, baseUrl: tavily.url }))
      .search('tides', { signal: signal() });
    expect(brave.requests.map((request) => request.query)).toEqual(['tides', 'moon']);
    expect(tavily.requests).toHaveLength(1);
  });

  it('forgets an answer after its time to live', async () => {
    let now = 0;
    const search = createSearchCache({ ttlMs: 1_000, now: () => now }).wrap(braveSearch());
    await search.search('tides', { signal: signal() });
    now = 999;
    await search.search('tides', { signal: signal() });
    expect(brave.requests).toHaveLength(1);
    now = 1_000;
    await search.search('tides', { signal: signal() });
    expect(brave.requests).toHaveLength(2);
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const cache = createSearchCache({ maxEntries: 2 });
    const search = cache.wrap(braveSearch());
    for (const query of ['a', 'b', 'a', 'c', 'a', 'b']) await search.search(query, { signal: signal() });
    // 'b' was the least recently used when 'c' came in.
    expect(brave.requests.map((request) => request.query)).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });

  it('lets identical searches in flight share one request', async () => {
    brave.setBehavior({ delayMs: 100 });
    const search = createSearchCache().wrap(braveSearch());
    const answers = await Promise.all(
      ['tides', 'Tides', 'tides '].map((query) => search.search(query, { signal: signal() })),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(brave.requests).toHaveLength(1);
  });

  it('keeps a shared request going for the others when one searcher gives up', async () => {
    brave.setBehavior({ delayMs: 200 });
    const search = createSearchCache().wrap(braveSearch());
    const quitter = new AbortController();
    const leaving = search.search('tides', { signal: quitter.signal });
    const staying = search.search('tides', { signal: signal() });
    await waitFor(
      () => brave.requests.length,
      (count) => count === 1,
    );
    quitter.abort(new Error('stopped'));
    await expect(leaving).rejects.toThrow('stopped');
    await expect(staying).resolves.toHaveLength(3);
    expect(brave.requests).toHaveLength(1);
  });

  it('does not keep failures: the next search asks again', async () => {
    brave.setBehavior({ failStatus: 500, failTimes: 1 });
    const search = createSearchCache().wrap(braveSearch());
    await expect(search.search('tides', { signal: signal() })).rejects.toBeInstanceOf(SearchError);
    await expect(search.search('tides', { signal: signal() })).resolves.toHaveLength(3);
    expect(brave.requests).toHaveLength(2);
  });

  it('hands out copies, so a caller cannot change what the next one gets', async () => {
    const search = createSearchCache().wrap(braveSearch());
    const first = await search.search('tides', { signal: signal() });
    if (first[0]) first[0].title = 'changed';
    const second = await search.search('tides', { signal: signal() });
    expect(second[0]?.title).toBe('Result 1 for tides');
  });

  it('normalizes queries by case, spacing and Unicode form', () => {
    expect(normalizeQuery('  Ｔides\tand  MOON ')).toBe('tides and moon');
  });
});
