import type { SearchOptions, SearchProvider, SearchResult } from './types';

export interface SearchCacheOptions {
  /** How long an answer is reused. Default: 10 minutes. */
  ttlMs?: number;
  /** Answers kept at most; the least recently used goes first. Default: 500. */
  maxEntries?: number;
  now?: () => number;
}

export interface SearchCache {
  /** The provider, answering a query it was asked recently from the cache. */
  wrap(provider: SearchProvider): SearchProvider;
  /** Forgets every answer (e.g. when the admin changes the search settings). */
  clear(): void;
  readonly size: number;
}

interface Entry {
  results: SearchResult[];
  expiresAt: number;
}

/** One request that several identical searches wait for; it is aborted once all of them gave up. */
interface SharedRequest {
  promise: Promise<SearchResult[]>;
  controller: AbortController;
  waiting: number;
}

/** Queries that differ only in case or spacing are the same search. */
export function normalizeQuery(query: string): string {
  return query.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function copy(results: SearchResult[]): SearchResult[] {
  return results.map((result) => ({ ...result }));
}

/** Waits for `promise` unless `signal` aborts first (then throws its reason). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  if (signal.aborted) {
    onAbort();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * A short-lived, in-process cache of search answers per (provider, query): several models often search
 * for the same thing in one comparison, and every search costs the operator money. Identical searches
 * in flight share one request; failures are not kept, so the next search tries again.
 */
export function createSearchCache(options: SearchCacheOptions = {}): SearchCache {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, SharedRequest>();

  function remembered(key: string): SearchResult[] | null {
    const entry = entries.get(key);
    if (!entry) return null;
    entries.delete(key);
    if (entry.expiresAt <= now()) return null;
    entries.set(key, entry); // most recently used goes last
    return entry.results;
  }

  function remember(key: string, results: SearchResult[]) {
    entries.delete(key);
    entries.set(key, { results, expiresAt: now() + ttlMs });
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  }

  function share(provider: SearchProvider, key: string, query: string): SharedRequest {
    const running = inFlight.get(key);
    if (running) return running;
    const controller = new AbortController();
    const promise = provider.search(query, { signal: controller.signal }).then((results) => {
      remember(key, results);
      return results;
    });
    const request: SharedRequest = { promise, controller, waiting: 0 };
    inFlight.set(key, request);
    promise.finally(() => forget(key, request)).catch(() => undefined);
    return request;
  }

  function forget(key: string, request: SharedRequest) {
    if (inFlight.get(key) === request) inFlight.delete(key);
  }

  return {
    wrap(provider) {
      return {
        name: provider.name,
        async search(query: string, { signal }: SearchOptions) {
          const key = `${provider.name}\n${normalizeQuery(query)}`;
          const cached = remembered(key);
          if (cached) return copy(cached);
          const request = share(provider, key, query);
          request.waiting += 1;
          const results = await unlessAborted(request.promise, signal, () => {
            request.waiting -= 1;
            if (request.waiting > 0) return;
            // Nobody waits any more: stop the request, and let the next search start a fresh one.
            forget(key, request);
            request.controller.abort(signal.reason);
          });
          return copy(results);
        },
      };
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/** One provider with a cache of its own (the app keeps one `createSearchCache()` for all providers). */
export function createCachedSearch(provider: SearchProvider, options?: SearchCacheOptions): SearchProvider {
  return createSearchCache(options).wrap(provider);
}
