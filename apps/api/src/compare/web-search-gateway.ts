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
  const providers = new Map<string, SearchProvider>();
  // Answers are cached by provider and query: a changed config (another key, count, country) starts afresh.
  const cache = createSearchCache();
  const allowPrivate = config.WEB_FETCH_ALLOW_PRIVATE === 'true';
  return {
    toolsFor(settings, caller) {
      if (!settings.enabled || !settings.provider) return null;
      const key = JSON.stringify([settings.provider, settings.config]);
      let search = providers.get(key);
      if (!search) {
        const provider = createSearchProvider(settings.provider, settings.config, {
          braveBaseUrl: config.BRAVE_SEARCH_URL,
          tavilyBaseUrl: config.TAVILY_SEARCH_URL,
        });
        if (!provider) return null;
        search = cache.wrap(provider);
        providers.clear();
        cache.clear();
        providers.set(key, search);
      }
      return {
        search,
        fetchPage: (url, signal) => fetchReadablePage(url, { signal, allowPrivate }),
        allowSearch: () =>
          caller.userId === null
            ? rateLimits.consume('searchPerVisitor', caller.ip)
            : rateLimits.consume('searchPerUser', String(caller.userId)),
      };
    },
  };
}
