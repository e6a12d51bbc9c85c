import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../testing/fake-openai-server';
import { createOpenAiCompatibleProvider } from './openai-compatible';
import type { StreamChunk } from './types';

// The real OpenAI SDK over the real wire format (undici's request under it, see upstream-fetch.ts),
// against the fake upstream on loopback: what reaches the engine when connections fail.
const MODEL = 'google/gemini-2.5-flash';
let fake: FakeOpenAiServer;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function streamAll(): Promise<{ text: string; chunks: StreamChunk[] }> {
  const provider = createOpenAiCompatibleProvider({ name: 'test', baseUrl: fake.baseUrl, apiKey: 'k' });
  const chunks: StreamChunk[] = [];
  for await (const chunk of provider.stream({
    model: MODEL,
    messages: [{ role: 'user', content: 'Hello' }],
    signal: new AbortController().signal,
  })) {
    chunks.push(chunk);
  }
  const text = chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : '')).join('');
  return { text, chunks };
}

describe('the OpenAI-compatible client', () => {
  it('streams the text and the usage with its cost', async () => {
    fake.setBehavior(MODEL, {
      text: 'one two three',
      costUsd: 0.002,
      usage: { promptTokens: 7, completionTokens: 3 },
    });
    const { text, chunks } = await streamAll();
    expect(text).toBe('one two three');
    expect(chunks.at(-1)).toEqual({ type: 'usage', inputTokens: 7, outputTokens: 3, costUsd: 0.002 });
  });

  it('sends a request once more when its connection closed before any answer (a stale kept-alive one)', async () => {
    fake.setBehavior(MODEL, { text: 'second time lucky', dropBeforeAnswer: 1 });
    const { text } = await streamAll();
    expect(text).toBe('second time lucky');
    expect(fake.requests).toHaveLength(2);
  });

  it('sends it at most twice: a server that keeps closing gets a readable failure', async () => {
    fake.setBehavior(MODEL, { text: 'never', dropBeforeAnswer: 5 });
    await expect(streamAll()).rejects.toThrow(/The provider could not be reached \(UND_ERR_SOCKET\)/);
    expect(fake.requests).toHaveLength(2);
  });

  it('never repeats a request whose answer had begun: the cut is reported, nothing is sent again', async () => {
    fake.setBehavior(MODEL, { text: 'a b c d e f', tokenDelayMs: 5, dropAfterPieces: 3 });
    const seen: string[] = [];
    const provider = createOpenAiCompatibleProvider({ name: 'test', baseUrl: fake.baseUrl, apiKey: 'k' });
    const reading = (async () => {
      for await (const chunk of provider.stream({
        model: MODEL,
        messages: [{ role: 'user', content: 'Hello' }],
        signal: new AbortController().signal,
      })) {
        if (chunk.type === 'text') seen.push(chunk.text);
      }
    })();
    await expect(reading).rejects.toThrow(/The provider failed/);
    // What arrived before the cut is kept by the engine; here it is a start of the answer.
    expect(seen.length).toBeGreaterThan(0);
    expect('a b c d e f'.startsWith(seen.join(''))).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });
});
