import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from './types';

/** Per-message framing tokens in the chat format (role markers and separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Tokens a message takes in a model's context, counted with a real tokenizer (o200k), not guessed. */
export function messageTokens(message: ChatMessage): number {
  return countTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
}

export function threadTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + messageTokens(message), 0);
}

export function textTokens(text: string): number {
  return countTokens(text);
}
