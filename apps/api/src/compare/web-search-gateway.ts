import type { RateLimits } from '../auth/rate-limits';
import type { AppConfig } from '../env';
import { createSearchCache } from '../search/cached-search';
import { createSearchProvider } from '../search/create-search-provider';
import { fetchReadablePage } from '../search/safe-fetch';
import type { SearchProvider } from '../search/types';
import type { WebSearchGateway } from './web-tools';

/**
 * Web tools from the app's settings: the active provider (Brave or Tavily, built once per provider and
 * config, its answers cached briefly), `fetch_url` through the SSRF-safe reader, and each caller's search
 * limit (per user, or per IP for visitors; shared through Redis when REDIS_URL is set).
 */
export function createWebSearchGateway(
  config: Pick<AppConfig, 'BRAVE_SEARCH_URL' | 'TAVILY_SEARCH_URL' | 'WEB_FETCH_ALLOW_PRIVATE'>,
  rateLimits: RateLimits,
): WebSearchGateway {
  // The provider for the settings last seen; answers are cached by provider and query, so a changed
  // config (another key, count, country) starts afresh.
  let current: { key: string; search: SearchProvider } | null = null;
  const cache = createSearchCache();
  const allowPrivate = config.WEB_FETCH_ALLOW_PRIVATE === 'true';
  return {
    toolsFor(settings, caller) {
      if (!settings.enabled || !settings.provider) return null;
      const key = JSON.stringify([settings.provider, settings.config]);
      if (current?.key !== key) {
        const provider = createSearchProvider(settings.provider, settings.config, {
          braveBaseUrl: config.BRAVE_SEARCH_URL,
          tavilyBaseUrl: config.TAVILY_SEARCH_URL,
        });
        if (!provider) return null;
        cache.clear();
        current = { key, search: cache.wrap(provider) };
      }
      return {
        search: current.search,
        fetchPage: (url, signal) => fetchReadablePage(url, { signal, allowPrivate }),
        allowSearch: () =>
          caller.userId === null
            ? rateLimits.consume('searchPerVisitor', caller.ip)
            : rateLimits.consume('searchPerUser', String(caller.userId)),
      };
    },
  };
}
