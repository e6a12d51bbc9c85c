import { useEffect, useRef, useState } from 'react';
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
 */
export function useModelSelection(
  catalogue: ModelCatalogue | undefined,
  preferred: readonly string[] | undefined,
) {
  const [selection, setSelection] = useState<string[]>([]);
  const initialisedFor = useRef<string | null>(null);

  useEffect(() => {
    if (!catalogue) return;
    const key = `${catalogue.limitsTier}:${preferred?.join(',') ?? ''}`;
    if (initialisedFor.current === key) return;
    initialisedFor.current = key;
    const wanted =
      preferred && preferred.length > 0 ? preferred : readStored(LAST_MODELS_KEY, z.array(z.string()), []);
    setSelection(initialSelection(wanted, catalogue.models, catalogue.modelsPerComparison));
  }, [catalogue, preferred]);

  return [selection, setSelection] as const;
}
