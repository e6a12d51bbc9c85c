import { type TModelInfo, ZModelInfo, ZModelRegistry } from '@compareintel/shared';
import { z } from 'zod';
import registryData from './models.json' with { type: 'json' };

/** An extra OpenAI-compatible server (Ollama, vLLM, llama.cpp …) declared in LLM_ENDPOINTS. */
export const ZLlmEndpoint = z.object({
  name: z.string().min(1).max(50),
  baseUrl: z.url(),
  apiKey: z.string().default('none'),
  models: z
    .array(
      z.object({
        /** Registry id shown to users, e.g. `local/llama3.2`. */
        id: ZModelInfo.shape.id,
        /** The id the server itself knows; defaults to `id`. */
        upstreamId: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
        contextLength: z.number().int().positive().default(8192),
        access: ZModelInfo.shape.access.default('anonymous'),
      }),
    )
    .min(1),
});
export type TLlmEndpoint = z.infer<typeof ZLlmEndpoint>;

/** A registry entry plus where it is served from. */
export interface RegisteredModel extends TModelInfo {
  /** Endpoint name for declared endpoints; null for the default upstream (OpenRouter). */
  endpoint: string | null;
  upstreamId: string;
}

export interface ModelRegistry {
  all(): readonly RegisteredModel[];
  get(id: string): RegisteredModel | undefined;
}

/** The product's model list (models.json, a copy of shared/data/models.json) plus the models of declared endpoints. */
export function loadModelRegistry(endpoints: readonly TLlmEndpoint[] = []): ModelRegistry {
  const file = ZModelRegistry.parse(registryData);
  const models: RegisteredModel[] = file.models.map((model) => ({
    ...model,
    endpoint: null,
    upstreamId: model.id,
  }));
  for (const endpoint of endpoints) {
    for (const model of endpoint.models) {
      models.push({
        id: model.id,
        name: model.name ?? model.id,
        provider: endpoint.name,
        category: 'Language',
        access: model.access,
        contextLength: model.contextLength,
        maxCompletionTokens: null,
        pricing: { promptUsdPerToken: 0, completionUsdPerToken: 0, imageUsd: null },
        knowledgeCutoff: null,
        supportsWebSearch: false,
        supportsVision: false,
        isThinking: false,
        supportsImageGeneration: false,
        endpoint: endpoint.name,
        upstreamId: model.upstreamId ?? model.id,
      });
    }
  }
  const byId = new Map(models.map((model) => [model.id, model]));
  return { all: () => models, get: (id) => byId.get(id) };
}
