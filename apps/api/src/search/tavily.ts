import { z } from 'zod';
import { collapseWhitespace } from './readable-text';
import { DEFAULT_SEARCH_TIMEOUT_MS, requestSearchApi } from './search-api-request';
import type { SearchProvider, SearchResult } from './types';

export interface TavilySearchOptions {
  apiKey: string;
  /** Default: https://api.tavily.com */
  baseUrl?: string;
  searchDepth?: 'basic' | 'advanced';
  /** Results per search (Tavily allows 0–20). */
  maxResults?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ZTavilyAnswer = z.looseObject({
  results: z.array(z.looseObject({ title: z.string(), url: z.string(), content: z.string().nullish() })),
});

/** The Tavily search API (https://docs.tavily.com/documentation/api-reference/endpoint/search). */
export function createTavilySearch(options: TavilySearchOptions): SearchProvider {
  const baseUrl = (options.baseUrl ?? 'https://api.tavily.com').replace(/\/+$/, '');
  return {
    name: 'tavily',
    async search(query, { signal }): Promise<SearchResult[]> {
      const answer = await requestSearchApi({
        service: 'Tavily',
        url: `${baseUrl}/search`,
        init: {
          method: 'POST',
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            Authorization: `Bearer ${options.apiKey}`,
          },
          body: JSON.stringify({
            query,
            search_depth: options.searchDepth ?? 'basic',
            max_results: options.maxResults ?? 5,
            include_answer: false,
          }),
        },
        schema: ZTavilyAnswer,
        timeoutMs: options.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS,
        signal,
        fetch: options.fetch ?? fetch,
        // Tavily's own codes for a plan's limits.
        statusSentences: {
          432: "refused the search: the plan's usage limit is reached",
          433: 'refused the search: the pay-as-you-go limit is reached',
        },
      });
      return answer.results.map((result) => ({
        title: collapseWhitespace(result.title).replace(/\s+/g, ' '),
        url: result.url,
        snippet: collapseWhitespace(result.content ?? '').replace(/\s+/g, ' '),
      }));
    },
  };
}
