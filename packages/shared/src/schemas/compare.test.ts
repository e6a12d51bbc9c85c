import { describe, expect, it } from 'vitest';
import { ZCompareEvent, ZCompareRunInput, ZCompareStopInput } from './compare';

const base = { models: ['openai/gpt-4o', 'anthropic/claude-haiku-4.5'], prompt: 'Explain monads' };

describe('ZCompareRunInput', () => {
  it('accepts a plain comparison and trims the prompt', () => {
    expect(ZCompareRunInput.parse({ ...base, prompt: '  hi  ' }).prompt).toBe('hi');
  });

  it('takes a retry of one model in a saved conversation only', () => {
    const one = { models: ['openai/gpt-4o'], prompt: 'again', conversationId: 3, retry: true };
    expect(ZCompareRunInput.safeParse(one).success).toBe(true);
    expect(ZCompareRunInput.safeParse({ ...one, conversationId: undefined }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...one, models: base.models }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...one, retry: false }).success).toBe(false);
  });

  it('rejects a model picked twice with a readable message', () => {
    const result = ZCompareRunInput.safeParse({ ...base, models: ['openai/gpt-4o', 'openai/gpt-4o'] });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Each model can be picked only once',
    ]);
  });

  it('requires 1..12 models with valid ids', () => {
    expect(ZCompareRunInput.safeParse({ ...base, models: [] }).success).toBe(false);
    const thirteen = Array.from({ length: 13 }, (_, index) => `vendor/model-${index}`);
    expect(ZCompareRunInput.safeParse({ ...base, models: thirteen }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, models: ['bad id!'] }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, models: ['openai/gpt-4o:online'] }).success).toBe(true);
  });

  it('limits the prompt to 1..100,000 characters', () => {
    expect(ZCompareRunInput.safeParse({ ...base, prompt: '   ' }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, prompt: 'x'.repeat(100_000) }).success).toBe(true);
    const tooLong = ZCompareRunInput.safeParse({ ...base, prompt: 'x'.repeat(100_001) });
    expect(tooLong.error?.issues[0]?.message).toBe('The prompt is too long (at most 100,000 characters)');
  });

  it('checks temperature, system prompt, conversation and fingerprint', () => {
    expect(ZCompareRunInput.safeParse({ ...base, temperature: 2.1 }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, temperature: 0 }).success).toBe(true);
    expect(ZCompareRunInput.safeParse({ ...base, systemPrompt: 'x'.repeat(10_001) }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, conversationId: 0 }).success).toBe(false);
    expect(ZCompareRunInput.safeParse({ ...base, fingerprint: 'a'.repeat(64) }).success).toBe(true);
    expect(ZCompareRunInput.safeParse({ ...base, fingerprint: 'A'.repeat(64) }).success).toBe(false);
  });
});

describe('ZCompareStopInput', () => {
  it('needs a uuid run id', () => {
    expect(ZCompareStopInput.safeParse({ runId: crypto.randomUUID() }).success).toBe(true);
    expect(ZCompareStopInput.safeParse({ runId: 'run-1' }).success).toBe(false);
  });
});

describe('ZCompareEvent', () => {
  it('discriminates on type', () => {
    const events = [
      { type: 'started', conversationId: null, runId: 'r', models: ['a/b'] },
      { type: 'delta', modelId: 'a/b', text: 'Hel' },
      {
        type: 'modelDone',
        modelId: 'a/b',
        inputTokens: 10,
        outputTokens: 5,
        ttftMs: 120,
        durationMs: 900,
        credits: 0.2,
      },
      { type: 'modelError', modelId: 'c/d', message: 'The model took longer than 120 s.' },
      { type: 'done', creditsCharged: 1, creditsRemaining: 49 },
    ];
    expect(events.map((event) => ZCompareEvent.parse(event).type)).toEqual([
      'started',
      'delta',
      'modelDone',
      'modelError',
      'done',
    ]);
    expect(ZCompareEvent.safeParse({ type: 'delta', modelId: 'a/b' }).success).toBe(false);
    expect(ZCompareEvent.safeParse({ type: 'unknown' }).success).toBe(false);
  });
});
