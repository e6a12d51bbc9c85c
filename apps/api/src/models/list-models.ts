import type { User } from '@compareintel/db';
import { canUseModelAccess, minimumTierForAccess, TIERS, type TierId } from '@compareintel/shared';
import { limitsTierOf } from '../credits/credit-pool';
import type { ModelRegistry } from './registry';

/** The registry as one caller sees it: each model available or not (and why), and their model limit. */
export function listModelsFor({ models }: { models: ModelRegistry }, user: User | null) {
  const limitsTier: TierId = user ? limitsTierOf(user) : 'anonymous';
  return {
    limitsTier,
    modelsPerComparison: TIERS[limitsTier].modelsPerComparison,
    models: models.all().map((model) => {
      const available = canUseModelAccess(limitsTier, model.access);
      const requiredTier = minimumTierForAccess(model.access);
      return {
        id: model.id,
        name: model.name,
        provider: model.provider,
        category: model.category,
        access: model.access,
        contextLength: model.contextLength,
        maxCompletionTokens: model.maxCompletionTokens,
        pricing: model.pricing,
        knowledgeCutoff: model.knowledgeCutoff,
        supportsWebSearch: model.supportsWebSearch,
        supportsVision: model.supportsVision,
        isThinking: model.isThinking,
        supportsImageGeneration: model.supportsImageGeneration,
        endpoint: model.endpoint,
        available,
        requiredTier: available ? null : requiredTier,
        unavailableReason: available
          ? null
          : requiredTier === 'free'
            ? user
              ? 'Verify your email to use this model'
              : 'Sign up free to use this model'
            : `Needs the ${TIERS[requiredTier].label} plan`,
      };
    }),
  };
}
