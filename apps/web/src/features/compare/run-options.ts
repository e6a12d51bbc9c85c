import { useCallback, useMemo, useState } from 'react';
import { z } from 'zod';
import { readStored, writeStored } from '../../lib/storage';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from './Composer';

/** The web search switch, remembered in this browser (temperature and system prompt are per visit). */
export const WEB_SEARCH_CHOICE_KEY = 'compareintel.webSearch';

export function readWebSearchChoice(): boolean {
  return readStored(WEB_SEARCH_CHOICE_KEY, z.boolean(), false);
}

/**
 * The composer's run options: `options` as the composer shows them, and `effective`, what a run is
 * sent with: web search only while staff keep it on (`compare.webSearchStatus`), whatever was remembered.
 */
export function useRunOptions(webSearchAvailable: boolean) {
  const [options, setOptionsState] = useState<RunOptions>(() => ({
    ...DEFAULT_RUN_OPTIONS,
    webSearch: readWebSearchChoice(),
  }));
  const setOptions = useCallback((next: RunOptions) => {
    setOptionsState((current) => {
      if (current.webSearch !== next.webSearch) writeStored(WEB_SEARCH_CHOICE_KEY, next.webSearch);
      return next;
    });
  }, []);
  const effective = useMemo(
    () => (options.webSearch && !webSearchAvailable ? { ...options, webSearch: false } : options),
    [options, webSearchAvailable],
  );
  return { options, effective, setOptions };
}
