import { answerTokens, threadTokens } from '../providers/llm/tokens';
import { type LlmProvider, ProviderError, type StreamRequest } from '../providers/llm/types';

/** What one model's answer came to, whatever happened to it. */
export interface ModelOutcome {
  modelId: string;
  status: 'done' | 'failed' | 'stopped';
  text: string;
  /** Readable reason when not done. */
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** The answer came from the mock provider: it cost nothing upstream. */
  mock: boolean;
  ttftMs: number | null;
  durationMs: number;
}

export interface StreamModelOptions {
  modelId: string;
  provider: LlmProvider;
  request: Omit<StreamRequest, 'signal'>;
  /** Aborted when the user stops this model or the whole run. */
  stopSignal: AbortSignal;
  timeoutMs: number;
  onDelta(text: string): void;
}

export class ModelTimeoutError extends Error {
  override name = 'ModelTimeoutError';
}

/**
 * Stream one model to the end, a stop, a timeout or a failure, and report the outcome. Never throws:
 * a failing model ends only its own card.
 */
export async function streamModel(options: StreamModelOptions): Promise<ModelOutcome> {
  const started = performance.now();
  const timeout = new AbortController();
  const timer = setTimeout(
    () =>
      timeout.abort(
        new ModelTimeoutError(`No complete answer within ${Math.round(options.timeoutMs / 1000)} s.`),
      ),
    options.timeoutMs,
  );
  const signal = AbortSignal.any([options.stopSignal, timeout.signal]);
  let text = '';
  let ttftMs: number | null = null;
  let usage: { inputTokens: number; outputTokens: number; costUsd: number | null } | null = null;
  let status: ModelOutcome['status'] = 'done';
  let error: string | null = null;
  try {
    for await (const chunk of options.provider.stream({ ...options.request, signal })) {
      if (signal.aborted) break;
      if (chunk.type === 'text') {
        if (ttftMs === null) ttftMs = Math.round(performance.now() - started);
        text += chunk.text;
        options.onDelta(chunk.text);
      } else {
        usage = chunk;
      }
    }
    if (signal.aborted) throw signal.reason;
    if (!text) throw new ProviderError('The model returned an empty answer.');
  } catch (caught) {
    if (options.stopSignal.aborted) {
      status = 'stopped';
      error = 'Stopped.';
    } else {
      status = 'failed';
      error = timeout.signal.aborted
        ? String(timeout.signal.reason instanceof Error ? timeout.signal.reason.message : 'Timed out.')
        : caught instanceof ProviderError
          ? caught.message
          : 'The model failed unexpectedly.';
    }
  } finally {
    clearTimeout(timer);
  }
  // Providers that send no usage (or a cut stream) are counted with a real tokenizer, never guessed.
  const inputTokens = usage?.inputTokens ?? threadTokens(options.request.messages);
  const outputTokens = usage?.outputTokens ?? answerTokens(text);
  return {
    modelId: options.modelId,
    status,
    text,
    error,
    inputTokens,
    outputTokens,
    costUsd: usage?.costUsd ?? null,
    mock: options.provider.isMock,
    ttftMs,
    durationMs: Math.round(performance.now() - started),
  };
}
