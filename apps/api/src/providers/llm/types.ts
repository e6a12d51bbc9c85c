/** One message of a model's thread, in the OpenAI chat shape every provider here speaks. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A function call a model asked for (OpenAI tool calling); `arguments` is the JSON text it wrote. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The turns of a tool round: the model's message that asked for tools, and each tool's answer. */
export type ToolTurn =
  | { role: 'assistant'; content: string; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export type RequestMessage = ChatMessage | ToolTurn;

/** A tool offered to the model: a name, what it does, and its parameters as JSON Schema. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface StreamRequest {
  /** The model id as the upstream knows it (registry id, or an endpoint's own id). */
  model: string;
  messages: RequestMessage[];
  /** Tools the model may call (none: a plain answer). */
  tools?: ToolDefinition[];
  temperature?: number;
  maxTokens?: number;
  /**
   * A blind run (issue 17): the user must not learn which model answers. Real models answer as they do;
   * the mock, which would print its model id, does not name itself.
   */
  blind?: boolean;
  signal: AbortSignal;
}

/**
 * What a provider yields while streaming: text as it arrives, the tool calls the model asked for (once,
 * whole, when the stream ends: their pieces arrive split across chunks), and the usage once, at the end.
 */
export type StreamChunk =
  | { type: 'text'; text: string }
  | { type: 'toolCalls'; calls: ToolCall[] }
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
