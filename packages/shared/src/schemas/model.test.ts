import { describe, expect, it } from 'vitest';
import { ZModelInfo, ZModelRegistry } from './model';

// Literal copies of three data/models.json entries: a priced model, one with an image price, and an
// announced model whose numbers are all still null.
const haiku = {
  id: 'anthropic/claude-haiku-4.5',
  name: 'Claude Haiku 4.5',
  provider: 'Anthropic',
  category: 'Language',
  access: 'free',
  contextLength: 200000,
  maxCompletionTokens: 64000,
  pricing: { promptUsdPerToken: 1e-6, completionUsdPerToken: 5e-6, imageUsd: null },
  knowledgeCutoff: 'February 2025',
  supportsWebSearch: true,
  supportsVision: true,
  isThinking: false,
  supportsImageGeneration: false,
};
const geminiFlash = {
  id: 'google/gemini-2.5-flash',
  name: 'Gemini 2.5 Flash',
  provider: 'Google',
  category: 'Language',
  access: 'anonymous',
  contextLength: 1048576,
  maxCompletionTokens: 65535,
  pricing: { promptUsdPerToken: 3e-7, completionUsdPerToken: 0.0000025, imageUsd: 3e-7 },
  knowledgeCutoff: 'January 2025',
  supportsWebSearch: true,
  supportsVision: true,
  isThinking: true,
  supportsImageGeneration: false,
};
const grok5 = {
  id: 'x-ai/grok-5',
  name: 'Grok 5 (Coming Soon)',
  provider: 'xAI',
  category: 'Language',
  access: 'paid',
  contextLength: null,
  maxCompletionTokens: null,
  pricing: { promptUsdPerToken: null, completionUsdPerToken: null, imageUsd: null },
  knowledgeCutoff: null,
  supportsWebSearch: false,
  supportsVision: false,
  isThinking: false,
  supportsImageGeneration: false,
};

describe('ZModelInfo', () => {
  it('parses registry entries, including unpriced ones', () => {
    for (const entry of [haiku, geminiFlash, grok5]) {
      expect(ZModelInfo.parse(entry)).toEqual(entry);
    }
  });

  it('rejects unknown access levels and negative prices', () => {
    expect(ZModelInfo.safeParse({ ...haiku, access: 'vip' }).success).toBe(false);
    expect(
      ZModelInfo.safeParse({ ...haiku, pricing: { ...haiku.pricing, promptUsdPerToken: -1 } }).success,
    ).toBe(false);
  });
});

describe('ZModelRegistry', () => {
  it('requires unique ids', () => {
    expect(ZModelRegistry.safeParse({ source: 'test', models: [haiku, grok5] }).success).toBe(true);
    expect(ZModelRegistry.safeParse({ source: 'test', models: [haiku, haiku] }).success).toBe(false);
  });
});
