import { createHash } from 'node:crypto';
import { decodeGenerator, encode } from 'gpt-tokenizer';
import { threadTokens } from './tokens';
import type { LlmProvider, RequestMessage, StreamChunk, StreamRequest } from './types';

export interface MockOptions {
  /** Delay before the first token, ms. */
  firstTokenDelayMs: number;
  /** Delay between tokens, ms (15 ms ≈ 66 tokens/s). */
  tokenDelayMs: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const TOPICS = ['latency', 'accuracy', 'cost', 'context length', 'tone', 'reasoning'];

/**
 * The deterministic answer of a mock model: the same model and thread always give the same text, and it
 * exercises what a card must render (headings, lists, code, math).
 */
export function mockAnswer(model: string, messages: readonly RequestMessage[], blind = false): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const digest = createHash('sha256')
    .update(`${model}\n${JSON.stringify(messages)}`)
    .digest();
  const topic = TOPICS[(digest[0] ?? 0) % TOPICS.length];
  const turns = messages.filter((m) => m.role === 'user').length;
  const excerpt = lastUser.replace(/\s+/g, ' ').trim().slice(0, 80);
  const n = ((digest[1] ?? 0) % 9) + 2;
  return [
    `**${blind ? 'A blind model' : model}** (mock) — turn ${turns}, answering: "${excerpt}"`,
    '',
    `Here is a deterministic mock answer focused on ${topic}. It streams token by token like a real model.`,
    '',
    `1. First point about ${topic}.`,
    `2. The sum of the first ${n} integers is $\\frac{${n}(${n}+1)}{2} = ${(n * (n + 1)) / 2}$.`,
    '',
    '```ts',
    `const answer = (n: number) => (n * (n + 1)) / 2; // answer(${n}) === ${(n * (n + 1)) / 2}`,
    '```',
  ].join('\n');
}

/** A provider that needs no key: streams mockAnswer with realistic pacing and reports usage, cost 0. */
export function createMockProvider(options: MockOptions): LlmProvider {
  async function* stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    const answer = mockAnswer(request.model, request.messages, request.blind === true);
    const all = encode(answer);
    const tokens = request.maxTokens ? all.slice(0, request.maxTokens) : all;
    await sleep(options.firstTokenDelayMs, request.signal);
    let first = true;
    // decodeGenerator yields whole characters even when one spans several tokens.
    for (const text of decodeGenerator(tokens)) {
      if (!first && options.tokenDelayMs > 0) await sleep(options.tokenDelayMs, request.signal);
      first = false;
      yield { type: 'text', text };
    }
    yield {
      type: 'usage',
      inputTokens: threadTokens(request.messages),
      outputTokens: tokens.length,
      costUsd: null,
    };
  }
  return { name: 'mock', isMock: true, stream };
}
