import type { Db, User } from '@compareintel/db';
import { canUseModelAccess, minimumTierForAccess, TIERS, type TierId } from '@compareintel/shared';
import { limitsTierOf } from '../credits/credit-pool';
import { unavailableModels, unavailableSentence } from './model-availability';
import type { ModelRegistry } from './registry';

/**
 * The registry as one caller sees it: each model available or not (and why), and their model limit.
 * A model staff marked unavailable is unavailable to everyone, with the staff's reason.
 */
export async function listModelsFor({ db, models }: { db: Db; models: ModelRegistry }, user: User | null) {
  const limitsTier: TierId = user ? limitsTierOf(user) : 'anonymous';
  const withdrawn = await unavailableModels(db);
  return {
    limitsTier,
    modelsPerComparison: TIERS[limitsTier].modelsPerComparison,
    models: models.all().map((model) => {
      const tierAllows = canUseModelAccess(limitsTier, model.access);
      const isWithdrawn = withdrawn.has(model.id);
      const available = tierAllows && !isWithdrawn;
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
        requiredTier: tierAllows ? null : requiredTier,
        unavailableReason: isWithdrawn
          ? unavailableSentence(model.name, withdrawn.get(model.id) ?? null)
          : tierAllows
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
