import type { HoldWebProgress } from '@compareintel/db';
import { MAX_TOOL_ROUNDS } from '@compareintel/shared';
import { answerTokens, threadTokens } from '../providers/llm/tokens';
import {
  type LlmProvider,
  ProviderError,
  type RequestMessage,
  type StreamRequest,
  type ToolCall,
} from '../providers/llm/types';
import { type AnswerWebTools, WEB_TOOL_DEFINITIONS, WEB_TOOL_INSTRUCTIONS } from './web-tools';

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
  /** The answer's web searches, sources and tool calls (null when it was not offered web tools). */
  web: HoldWebProgress | null;
}

export interface StreamModelOptions {
  modelId: string;
  provider: LlmProvider;
  request: Omit<StreamRequest, 'signal'>;
  /** Aborted when the user stops this model or the whole run. */
  stopSignal: AbortSignal;
  timeoutMs: number;
  onDelta(text: string): void;
  /** Web tools this answer may call (null: a plain answer). */
  web?: AnswerWebTools | null;
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
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: null as number | null };
  let status: ModelOutcome['status'] = 'done';
  let error: string | null = null;
  const web = options.web ?? null;
  let messages: RequestMessage[] = web
    ? [{ role: 'system', content: WEB_TOOL_INSTRUCTIONS }, ...options.request.messages]
    : options.request.messages;
  /** The round in flight, until its tokens are added to `usage` (a cut round is counted below). */
  let open: { messages: RequestMessage[]; text: string } | null = null;
  try {
    // One round per request: with web tools the model may ask for tool calls (run, fed back, and the
    // model asked again) for up to MAX_TOOL_ROUNDS rounds; the round after that offers no tools.
    for (let round = 0; ; round += 1) {
      const offerTools = web !== null && round < MAX_TOOL_ROUNDS;
      let roundText = '';
      open = { messages, text: '' };
      let calls: ToolCall[] = [];
      let roundUsage: { inputTokens: number; outputTokens: number; costUsd: number | null } | null = null;
      const request = {
        ...options.request,
        messages,
        ...(offerTools ? { tools: [...WEB_TOOL_DEFINITIONS] } : {}),
        signal,
      };
      for await (const chunk of options.provider.stream(request)) {
        if (signal.aborted) break;
        if (chunk.type === 'text') {
          if (ttftMs === null) ttftMs = Math.round(performance.now() - started);
          // Text written before a tool round and after it reads as two paragraphs.
          const piece =
            roundText === '' && text !== '' && !text.endsWith('\n') ? `\n\n${chunk.text}` : chunk.text;
          roundText += chunk.text;
          open.text = roundText;
          text += piece;
          options.onDelta(piece);
        } else if (chunk.type === 'toolCalls') {
          calls = chunk.calls;
        } else {
          roundUsage = chunk;
        }
      }
      if (signal.aborted) throw signal.reason;
      // Rounds without reported usage are counted with a real tokenizer, never guessed.
      usage.inputTokens += roundUsage?.inputTokens ?? threadTokens(messages);
      usage.outputTokens +=
        roundUsage?.outputTokens ??
        answerTokens(roundText + calls.map((call) => call.name + call.arguments).join(''));
      // The reported cost stands only when every round reported one (else list prices price all tokens).
      const roundCost = roundUsage?.costUsd ?? null;
      usage.costUsd =
        roundCost === null || (round > 0 && usage.costUsd === null) ? null : (usage.costUsd ?? 0) + roundCost;
      open = null;
      if (!offerTools || !web || calls.length === 0) break;
      const results = await Promise.all(calls.map((call) => web.run(call, signal)));
      if (signal.aborted) throw signal.reason;
      messages = [
        ...messages,
        { role: 'assistant', content: roundText, toolCalls: calls },
        ...calls.map((call, i) => ({
          role: 'tool' as const,
          toolCallId: call.id,
          content: results[i] ?? '',
        })),
      ];
    }
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
  // A round cut short (stop, failure, time limit) sent no usage: it is counted with a real tokenizer.
  const cut = open as { messages: RequestMessage[]; text: string } | null;
  const inputTokens = usage.inputTokens + (cut ? threadTokens(cut.messages) : 0);
  const outputTokens = usage.outputTokens + (cut ? answerTokens(cut.text) : 0);
  return {
    modelId: options.modelId,
    status,
    text,
    error,
    inputTokens,
    outputTokens,
    costUsd: usage.costUsd,
    mock: options.provider.isMock,
    ttftMs,
    durationMs: Math.round(performance.now() - started),
    web: web ? structuredClone(web.progress) : null,
  };
}
