import { countTokens } from 'gpt-tokenizer';
import type { RequestMessage } from './types';

/** Per-message framing tokens in the chat format (role markers and separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Texts counted lately (most recent last) and how many characters they hold together. */
const counted = new Map<string, number>();
let countedChars = 0;
const COUNTED_CHARS_MAX = 2_000_000;

/**
 * One comparison counts the same prompt and history for every model it sends them to (and again when it
 * saves them): each text is tokenized once, then remembered for a while (at most COUNTED_CHARS_MAX
 * characters of text, the least recently used forgotten first).
 */
function countTokensOnce(text: string): number {
  const known = counted.get(text);
  if (known !== undefined) {
    counted.delete(text);
    counted.set(text, known);
    return known;
  }
  const tokens = countTokens(text);
  if (text.length <= COUNTED_CHARS_MAX / 4) {
    counted.set(text, tokens);
    countedChars += text.length;
    for (const oldest of counted.keys()) {
      if (countedChars <= COUNTED_CHARS_MAX) break;
      counted.delete(oldest);
      countedChars -= oldest.length;
    }
  }
  return tokens;
}

/** Tokens a message takes in a model's context, counted with a real tokenizer (o200k), not guessed. */
export function messageTokens(message: RequestMessage): number {
  const calls =
    'toolCalls' in message
      ? message.toolCalls.reduce((sum, call) => sum + answerTokens(call.name + call.arguments), 0)
      : 0;
  return countTokensOnce(message.content) + calls + MESSAGE_OVERHEAD_TOKENS;
}

export function threadTokens(messages: readonly RequestMessage[]): number {
  return messages.reduce((sum, message) => sum + messageTokens(message), 0);
}

/** Tokens of a prompt or other text sent again and again (remembered, see countTokensOnce). */
export function textTokens(text: string): number {
  return countTokensOnce(text);
}

/** Tokens of an answer streamed just now: counted as it is, never remembered (no one asks twice). */
export function answerTokens(text: string): number {
  return countTokens(text);
}
