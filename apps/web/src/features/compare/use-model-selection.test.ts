import { renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelCatalogue } from '../models/model-types';
import { catalogueModel } from '../models/test-models';
import { rememberModels, useModelSelection } from './use-model-selection';

const catalogue: ModelCatalogue = {
  models: [
    catalogueModel({ id: 'acme/alpha', name: 'Alpha', provider: 'Acme' }),
    catalogueModel({ id: 'acme/beta', name: 'Beta', provider: 'Acme' }),
  ],
  modelsPerComparison: 3,
  limitsTier: 'anonymous',
};

/** Not loaded yet, typed as what arrives later. */
function pending<T>(): T | undefined {
  return undefined;
}

afterEach(() => localStorage.clear());

describe('useModelSelection', () => {
  it('is ready only once the remembered models are selected, so the picker can stay closed', () => {
    rememberModels(['acme/beta']);
    const { result, rerender } = renderHook(({ data }) => useModelSelection(data, undefined), {
      initialProps: { data: pending<ModelCatalogue>() },
    });
    expect(result.current[2]).toBe(false);
    rerender({ data: catalogue });
    expect(result.current[0]).toEqual(['acme/beta']);
    expect(result.current[2]).toBe(true);
  });

  it('is not ready again until preferences that arrive later are applied', () => {
    const { result, rerender } = renderHook(({ preferred }) => useModelSelection(catalogue, preferred), {
      initialProps: { preferred: pending<string[]>() },
    });
    expect(result.current[0]).toEqual([]);
    rerender({ preferred: ['acme/alpha'] });
    expect(result.current[0]).toEqual(['acme/alpha']);
    expect(result.current[2]).toBe(true);
  });
});
