import { z } from 'zod';
import { MODEL_ACCESS_LEVELS } from '../tiers';

/** An OpenRouter-style model id such as `anthropic/claude-haiku-4.5` or `openai/gpt-4o:online`. */
export const ZModelId = z
  .string()
  .min(1, 'Model id is required')
  .max(255, 'Model id is too long')
  .regex(/^[a-z0-9][a-z0-9._\-/:]*$/i, 'Model id has unexpected characters');
export type TModelId = z.infer<typeof ZModelId>;

export const ZModelAccess = z.enum(MODEL_ACCESS_LEVELS);
export type TModelAccess = z.infer<typeof ZModelAccess>;

const ZUsdPerUnit = z.number().nonnegative().nullable();

/** List prices in USD; null where the catalogue has no price yet (e.g. an announced model). */
export const ZModelPricing = z.object({
  promptUsdPerToken: ZUsdPerUnit,
  completionUsdPerToken: ZUsdPerUnit,
  imageUsd: ZUsdPerUnit,
});
export type TModelPricing = z.infer<typeof ZModelPricing>;

/** One entry of the model registry (`data/models.json`). */
export const ZModelInfo = z.object({
  id: ZModelId,
  name: z.string().min(1),
  provider: z.string().min(1),
  /** e.g. "Language", "Language/Code", "Multimodal/Reasoning", "Image". */
  category: z.string().min(1),
  access: ZModelAccess,
  contextLength: z.number().int().positive().nullable(),
  maxCompletionTokens: z.number().int().positive().nullable(),
  pricing: ZModelPricing,
  /** Free text such as "February 2025". */
  knowledgeCutoff: z.string().nullable(),
  supportsWebSearch: z.boolean(),
  supportsVision: z.boolean(),
  isThinking: z.boolean(),
  supportsImageGeneration: z.boolean(),
});
export type TModelInfo = z.infer<typeof ZModelInfo>;

/** The registry file as a whole: `{ source, models }` with unique ids. */
export const ZModelRegistry = z.object({
  source: z.string(),
  models: z
    .array(ZModelInfo)
    .refine((models) => new Set(models.map((model) => model.id)).size === models.length, {
      message: 'Model ids must be unique',
    }),
});
export type TModelRegistry = z.infer<typeof ZModelRegistry>;
