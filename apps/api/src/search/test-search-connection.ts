import { SearchError, type SearchProvider } from './types';

export type SearchConnectionCheck =
  | { ok: true; results: number; ms: number }
  | { ok: false; message: string };

export const CONNECTION_TEST_QUERY = 'CompareIntel connection test';

/**
 * The admin's "Test connection": one real search with the stored settings, so a wrong key or an
 * unreachable API shows as the same sentence a model's card would show, before anyone relies on it.
 */
export async function testSearchConnection(
  provider: SearchProvider,
  signal: AbortSignal,
): Promise<SearchConnectionCheck> {
  const started = performance.now();
  try {
    const results = await provider.search(CONNECTION_TEST_QUERY, { signal });
    return { ok: true, results: results.length, ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof SearchError) return { ok: false, message: error.message };
    throw error;
  }
}
