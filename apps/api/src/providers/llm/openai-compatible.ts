import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { type LlmProvider, ProviderError, type StreamChunk, type StreamRequest } from './types';
import { createUpstreamFetch } from './upstream-fetch';

export interface OpenAiCompatibleOptions {
  name: string;
  baseUrl: string;
  apiKey: string;
  /** OpenRouter reports the cost in USD when asked with `usage: { include: true }`. */
  requestUsageCost?: boolean;
  /** How requests go out (default: undici over a keep-alive pool, see upstream-fetch.ts). */
  fetch?: typeof fetch;
}

/** OpenRouter's usage accounting adds `cost` (USD) to the final chunk's usage. */
function usageCost(usage: ChatCompletionChunk['usage']): number | null {
  if (!usage || !('cost' in usage)) return null;
  const cost: unknown = usage.cost;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : null;
}

function readableUpstreamError(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionError) {
    // The request never got an answer (refused, reset, timed out): say what the network said.
    const cause = error.cause instanceof Error ? error.cause : null;
    const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
    const detail = code ?? cause?.message.slice(0, 120) ?? 'no answer';
    return `The provider could not be reached (${detail}).`;
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ? `HTTP ${error.status}` : 'mid-stream';
    const detail = error.message.replace(/^\d{3}\s*/, '').slice(0, 300);
    return `The provider answered with an error (${status}): ${detail}`;
  }
  if (error instanceof SyntaxError) return 'The provider sent a malformed stream.';
  if (error instanceof Error) return `The provider failed: ${error.message.slice(0, 300)}`;
  return 'The provider failed.';
}

/** A streaming client for any OpenAI-compatible server (OpenRouter, Ollama, vLLM, llama.cpp …). */
export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): LlmProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    // Retries would replay a half-streamed answer; the engine reports the failure instead.
    maxRetries: 0,
    timeout: 10 * 60_000,
    fetch: options.fetch ?? createUpstreamFetch(),
  });

  async function* stream(request: StreamRequest): AsyncGenerator<StreamChunk> {
    const params: ChatCompletionCreateParamsStreaming & { usage?: { include: boolean } } = {
      model: request.model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(options.requestUsageCost ? { usage: { include: true } } : {}),
    };
    try {
      const response = await client.chat.completions.create(params, { signal: request.signal });
      for await (const chunk of response) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { type: 'text', text };
        if (chunk.usage) {
          yield {
            type: 'usage',
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
            costUsd: usageCost(chunk.usage),
          };
        }
      }
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new ProviderError(readableUpstreamError(error));
    }
    // Servers that never send usage are fine: the engine then counts the tokens itself.
  }

  return { name: options.name, isMock: false, stream };
}
