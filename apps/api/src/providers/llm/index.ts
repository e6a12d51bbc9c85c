import type { AppConfig } from '../../env';
import type { RegisteredModel } from '../../models/registry';
import { createMockProvider } from './mock';
import { createOpenAiCompatibleProvider } from './openai-compatible';
import type { LlmProvider } from './types';

export type { ChatMessage, LlmProvider, StreamChunk, StreamRequest } from './types';

/** Picks the provider for a model: its declared endpoint, OpenRouter, or the mock. */
export interface LlmGateway {
  /** True when registry models have no upstream key and every answer comes from the mock. */
  readonly upstreamMissing: boolean;
  providerFor(model: RegisteredModel, options: { mock: boolean }): LlmProvider;
}

export function createLlmGateway(config: AppConfig): LlmGateway {
  const mock = createMockProvider({
    firstTokenDelayMs: config.MOCK_FIRST_TOKEN_MS,
    tokenDelayMs: config.MOCK_TOKEN_DELAY_MS,
  });
  const openRouter = config.OPENROUTER_API_KEY
    ? createOpenAiCompatibleProvider({
        name: 'openrouter',
        baseUrl: config.OPENROUTER_BASE_URL,
        apiKey: config.OPENROUTER_API_KEY,
        requestUsageCost: true,
      })
    : null;
  const endpoints = new Map(
    config.LLM_ENDPOINTS.map((endpoint) => [
      endpoint.name,
      createOpenAiCompatibleProvider({
        name: endpoint.name,
        baseUrl: endpoint.baseUrl,
        apiKey: endpoint.apiKey,
      }),
    ]),
  );
  return {
    upstreamMissing: openRouter === null,
    providerFor(model, options) {
      if (options.mock) return mock;
      if (model.endpoint) return endpoints.get(model.endpoint) ?? mock;
      return openRouter ?? mock;
    },
  };
}
