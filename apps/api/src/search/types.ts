import type { TSearchProvider } from '@compareintel/shared';

/** One web result as the model and the card see it. */
export interface SearchResult {
  title: string;
  url: string;
  /** The result's snippet / content excerpt (plain text). */
  snippet: string;
}

export interface SearchOptions {
  signal: AbortSignal;
}

/**
 * The small interface every search API implements (Brave, Tavily). `search` throws `SearchError` with a
 * sentence a person can read (timeout, refused key, rate limit, malformed answer), never the API key.
 */
export interface SearchProvider {
  readonly name: TSearchProvider;
  search(query: string, options: SearchOptions): Promise<SearchResult[]>;
}

/** A readable page: what `fetch_url` gives the model. */
export interface ReadablePage {
  /** The URL finally read (after redirects). */
  url: string;
  title: string;
  /** The page's readable text, capped. */
  text: string;
}

/** A search or fetch that failed, with a sentence for the model and the card. */
export class SearchError extends Error {
  override name = 'SearchError';
}

/** fetch_url refused a URL before fetching it (scheme, private address after DNS, …). */
export class UnsafeUrlError extends SearchError {
  override name = 'UnsafeUrlError';
}
