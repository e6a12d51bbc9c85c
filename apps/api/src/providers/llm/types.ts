/** One message of a model's thread, in the OpenAI chat shape every provider here speaks. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamRequest {
  /** The model id as the upstream knows it (registry id, or an endpoint's own id). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  signal: AbortSignal;
}

/** What a provider yields while streaming: text as it arrives, and the usage once, at the end. */
export type StreamChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; costUsd: number | null };

/** The small interface every model source implements: OpenAI-compatible upstreams and the mock. */
export interface LlmProvider {
  readonly name: string;
  /** true when answers cost nothing upstream (mock): actual cost is recorded as 0. */
  readonly isMock: boolean;
  stream(request: StreamRequest): AsyncIterable<StreamChunk>;
}

/** A provider failure with a sentence a person can read on the model's card. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}
