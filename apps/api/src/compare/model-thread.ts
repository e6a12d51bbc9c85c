import { AppError, modelThread } from '@compareintel/shared';
import type { RegisteredModel } from '../models/registry';
import type { ChatMessage } from '../providers/llm';
import { messageTokens, threadTokens } from '../providers/llm/tokens';

/** Tokens kept free for the answer: the model's max completion, at most half its context. */
function answerReserve(model: RegisteredModel, contextLength: number): number {
  return Math.min(model.maxCompletionTokens ?? 4096, Math.floor(contextLength / 2));
}

export interface StoredMessage {
  id: number;
  role: 'user' | 'assistant';
  modelId: string | null;
  content: string;
  success: boolean;
}

/**
 * The messages one model receives: the system prompt, the user turns and *its own* earlier answers,
 * then the new prompt; trimmed from the oldest turns to fit its context length, counted with a real
 * tokenizer. Throws BAD_REQUEST when even the new prompt alone does not fit.
 */
export function buildModelThread(input: {
  model: RegisteredModel;
  history: readonly StoredMessage[];
  prompt: string;
  systemPrompt?: string | undefined;
}): { messages: ChatMessage[]; promptTokens: number } {
  const { model, history, prompt, systemPrompt } = input;
  const turns: ChatMessage[] = modelThread(history, model.id).map((m) => ({
    role: m.role,
    content: m.content,
  }));
  turns.push({ role: 'user', content: prompt });
  const system: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];

  const contextLength = model.contextLength ?? 8192;
  const budget = contextLength - answerReserve(model, contextLength);
  const costs = turns.map(messageTokens);
  let total = threadTokens(system) + costs.reduce((a, b) => a + b, 0);
  let first = 0;
  // Drop whole turns from the front; never the new prompt (the last message).
  while (total > budget && first < turns.length - 1) {
    total -= costs[first] ?? 0;
    first++;
  }
  // A thread must not start with an orphaned answer.
  while (first < turns.length - 1 && turns[first]?.role === 'assistant') {
    total -= costs[first] ?? 0;
    first++;
  }
  if (total > budget) {
    throw new AppError(
      'BAD_REQUEST',
      `The prompt is too long for ${model.name}: it fits ${budget.toLocaleString('en-US')} tokens of context.`,
    );
  }
  return { messages: [...system, ...turns.slice(first)], promptTokens: total };
}
