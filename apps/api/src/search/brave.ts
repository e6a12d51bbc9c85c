import { z } from 'zod';
import { snippetText } from './readable-text';
import { DEFAULT_SEARCH_TIMEOUT_MS, requestSearchApi } from './search-api-request';
import type { SearchProvider, SearchResult } from './types';

export interface BraveSearchOptions {
  apiKey: string;
  /** Default: https://api.search.brave.com */
  baseUrl?: string;
  /** Two letters, e.g. US: where results come from. Default: Brave's own (US). */
  country?: string;
  safeSearch?: 'off' | 'moderate' | 'strict';
  /** Results per search (Brave allows 1–20). Default: Brave's own (20). */
  count?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ZBraveAnswer = z.looseObject({
  // Brave leaves `web` out when nothing was found.
  web: z
    .looseObject({
      results: z.array(
        z.looseObject({ title: z.string(), url: z.string(), description: z.string().optional() }),
      ),
    })
    .optional(),
});

/** The Brave Web Search API (https://api.search.brave.com/app/documentation/web-search). */
export function createBraveSearch(options: BraveSearchOptions): SearchProvider {
  const baseUrl = (options.baseUrl ?? 'https://api.search.brave.com').replace(/\/+$/, '');
  return {
    name: 'brave',
    async search(query, { signal }): Promise<SearchResult[]> {
      const url = new URL(`${baseUrl}/res/v1/web/search`);
      url.searchParams.set('q', query);
      if (options.count !== undefined) url.searchParams.set('count', String(options.count));
      if (options.country) url.searchParams.set('country', options.country);
      if (options.safeSearch) url.searchParams.set('safesearch', options.safeSearch);
      const answer = await requestSearchApi({
        service: 'Brave Search',
        url: url.href,
        init: {
          method: 'GET',
          headers: { Accept: 'application/json', 'X-Subscription-Token': options.apiKey },
        },
        schema: ZBraveAnswer,
        timeoutMs: options.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS,
        signal,
        fetch: options.fetch ?? fetch,
      });
      return (answer.web?.results ?? []).map((result) => ({
        title: snippetText(result.title),
        url: result.url,
        snippet: snippetText(result.description ?? ''),
      }));
    },
  };
}
