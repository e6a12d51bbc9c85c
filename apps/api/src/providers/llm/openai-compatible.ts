import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import {
  type LlmProvider,
  ProviderError,
  type RequestMessage,
  type StreamChunk,
  type StreamRequest,
  type ToolCall,
} from './types';
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

function wireMessage(message: RequestMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') {
    return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
  if ('toolCalls' in message) {
    return {
      role: 'assistant',
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    };
  }
  return message;
}

/**
 * Tool calls arrive in pieces: the first delta of a call carries its `index`, `id` and name, later ones
 * (same index) more of its JSON arguments. Collected by index, handed over whole at the end.
 */
class ToolCallCollector {
  private readonly calls = new Map<number, ToolCall>();

  add(deltas: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>): void {
    for (const delta of deltas) {
      const call = this.calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.calls.set(delta.index, call);
    }
  }

  /** The calls in index order; ids a server left out are made up (they only pair calls with results). */
  collected(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }))
      .filter((call) => call.name.length > 0);
  }
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
      messages: request.messages.map(wireMessage),
      stream: true,
      ...(request.tools?.length
        ? {
            tools: request.tools.map((tool) => ({
              type: 'function' as const,
              function: { name: tool.name, description: tool.description, parameters: tool.parameters },
            })),
          }
        : {}),
      stream_options: { include_usage: true },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(options.requestUsageCost ? { usage: { include: true } } : {}),
    };
    try {
      const response = await client.chat.completions.create(params, { signal: request.signal });
      const toolCalls = new ToolCallCollector();
      for await (const chunk of response) {
        const delta = chunk.choices[0]?.delta;
        const text = delta?.content;
        if (text) yield { type: 'text', text };
        if (delta?.tool_calls) toolCalls.add(delta.tool_calls);
        if (chunk.usage) {
          yield {
            type: 'usage',
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
            costUsd: usageCost(chunk.usage),
          };
        }
      }
      const calls = toolCalls.collected();
      if (calls.length > 0) yield { type: 'toolCalls', calls };
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new ProviderError(readableUpstreamError(error));
    }
    // Servers that never send usage are fine: the engine then counts the tokens itself.
  }

  return { name: options.name, isMock: false, stream };
}
