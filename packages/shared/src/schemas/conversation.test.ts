import { describe, expect, it } from 'vitest';
import { ZBreakoutInput, ZListConversationsInput, ZRenameConversationInput } from './conversation';

describe('conversation inputs', () => {
  it('trims titles and requires 1..255 characters', () => {
    expect(ZRenameConversationInput.parse({ id: 3, title: '  Monads  ' })).toEqual({
      id: 3,
      title: 'Monads',
    });
    expect(ZRenameConversationInput.safeParse({ id: 3, title: '   ' }).success).toBe(false);
    expect(ZRenameConversationInput.safeParse({ id: 3, title: 'x'.repeat(256) }).success).toBe(false);
    expect(ZRenameConversationInput.safeParse({ id: -1, title: 'x' }).success).toBe(false);
  });

  it('pages 20 at a time by default, at most 100', () => {
    expect(ZListConversationsInput.parse({})).toEqual({ limit: 20 });
    expect(ZListConversationsInput.parse({ cursor: null, limit: 5 })).toEqual({ cursor: null, limit: 5 });
    expect(ZListConversationsInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(ZListConversationsInput.safeParse({ limit: 0 }).success).toBe(false);
  });

  it('breaks out to one valid model id', () => {
    expect(ZBreakoutInput.safeParse({ id: 1, modelId: 'openai/gpt-4o' }).success).toBe(true);
    expect(ZBreakoutInput.safeParse({ id: 1, modelId: '' }).success).toBe(false);
  });
});
