import type { CatalogueModel } from './model-types';

/** A model entry as `models.list` returns it, for tests. */
export function catalogueModel(overrides: Partial<CatalogueModel> & { id: string }): CatalogueModel {
  return {
    name: overrides.id,
    provider: 'Acme',
    category: 'Language',
    access: 'anonymous',
    contextLength: 128_000,
    maxCompletionTokens: 8192,
    pricing: { promptUsdPerToken: 0.000001, completionUsdPerToken: 0.000005, imageUsd: null },
    knowledgeCutoff: null,
    supportsWebSearch: false,
    supportsVision: false,
    isThinking: false,
    supportsImageGeneration: false,
    endpoint: null,
    available: true,
    requiredTier: null,
    unavailableReason: null,
    ...overrides,
  };
}
