import { type TSearchProvider, ZBraveConfig, ZTavilyConfig } from '@compareintel/shared';
import type { z } from 'zod';
import { createBraveSearch } from './brave';
import { createTavilySearch } from './tavily';
import type { SearchProvider } from './types';

export interface SearchApiUrls {
  braveBaseUrl?: string | undefined;
  tavilyBaseUrl?: string | undefined;
}

/** A stored setting when it is still valid, else undefined (one bad field must not switch search off). */
function setting<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The search API the admin chose, from the stored `search_provider_config` JSON (the fields of
 * ZBraveConfig / ZTavilyConfig); null while it has no usable API key.
 */
export function createSearchProvider(
  provider: TSearchProvider,
  config: Record<string, unknown> | null,
  urls: SearchApiUrls,
): SearchProvider | null {
  const stored = config ?? {};
  if (provider === 'brave') {
    const { shape } = ZBraveConfig;
    const apiKey = setting(shape.apiKey, stored.apiKey);
    if (!apiKey) return null;
    return createBraveSearch({
      apiKey,
      baseUrl: urls.braveBaseUrl,
      country: setting(shape.country, stored.country),
      safeSearch: setting(shape.safeSearch, stored.safeSearch),
      count: setting(shape.count, stored.count),
    });
  }
  const { shape } = ZTavilyConfig;
  const apiKey = setting(shape.apiKey, stored.apiKey);
  if (!apiKey) return null;
  return createTavilySearch({
    apiKey,
    baseUrl: urls.tavilyBaseUrl,
    searchDepth: setting(shape.searchDepth, stored.searchDepth),
    maxResults: setting(shape.maxResults, stored.maxResults),
  });
}
