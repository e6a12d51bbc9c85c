import { useEffect, useState } from 'react';
import { z } from 'zod';
import { readStored, writeStored } from '../../lib/storage';
import type { ModelCatalogue } from '../models/model-types';
import { initialSelection } from '../models/picker-rules';

const LAST_MODELS_KEY = 'compareintel.lastModels';

export function rememberModels(models: readonly string[]): void {
  writeStored(LAST_MODELS_KEY, models);
}

/**
 * The picker's selection: the user's preferred models (settings), else the last ones used in this
 * browser, kept to what the caller's tier allows. Re-checked when the tier changes (sign in/out).
 * `ready` once the selection reflects the current catalogue and preferences, so the page can decide
 * whether to open the picker from what will actually be selected, not from the empty first render.
 */
export function useModelSelection(
  catalogue: ModelCatalogue | undefined,
  preferred: readonly string[] | undefined,
) {
  const [selection, setSelection] = useState<string[]>([]);
  const [initialisedFor, setInitialisedFor] = useState<string | null>(null);
  const key = catalogue ? `${catalogue.limitsTier}:${preferred?.join(',') ?? ''}` : null;

  useEffect(() => {
    if (!catalogue || key === null) return;
    if (initialisedFor === key) return;
    setInitialisedFor(key);
    const wanted =
      preferred && preferred.length > 0 ? preferred : readStored(LAST_MODELS_KEY, z.array(z.string()), []);
    setSelection(initialSelection(wanted, catalogue.models, catalogue.modelsPerComparison));
  }, [catalogue, preferred, key, initialisedFor]);

  return [selection, setSelection, key !== null && initialisedFor === key] as const;
}
