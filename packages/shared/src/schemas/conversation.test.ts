import { describe, expect, it } from 'vitest';
import {
  ZBreakoutInput,
  ZListConversationsInput,
  ZRenameConversationInput,
  ZSetPinnedInput,
} from './conversation';
import { ZImportConversationsInput } from './conversation-export';

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

describe('importing a visitor’s conversations', () => {
  const answer = {
    text: 'Hi',
    status: 'done',
    error: null,
    metrics: { inputTokens: 1, outputTokens: 2, ttftMs: 3, durationMs: 4, credits: 0.2 },
  };
  const conversation = {
    localId: 'abc',
    title: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:01:00.000Z',
    models: ['openai/gpt-4o'],
    turns: [{ prompt: 'Hello', answers: { 'openai/gpt-4o': answer } }],
  };

  it('takes what the browser kept', () => {
    expect(ZImportConversationsInput.safeParse({ conversations: [conversation] }).success).toBe(true);
  });

  it('names the field that is wrong', () => {
    const messages = (input: unknown) =>
      ZImportConversationsInput.safeParse(input).error?.issues.map((issue) => [
        issue.path.join('.'),
        issue.message,
      ]);
    expect(messages({ conversations: [] })).toEqual([['conversations', 'Nothing to import']]);
    expect(messages({ conversations: [{ ...conversation, turns: [{ prompt: ' ', answers: {} }] }] })).toEqual(
      [['conversations.0.turns.0.prompt', 'A prompt cannot be empty']],
    );
    expect(messages({ conversations: [{ ...conversation, models: ['other/model'] }] })).toEqual([
      ['conversations.0.turns', 'Every answer must come from one of the conversation’s models'],
    ]);
    expect(
      messages({
        conversations: [
          {
            ...conversation,
            turns: [
              {
                prompt: 'x',
                answers: { 'openai/gpt-4o': { ...answer, metrics: { ...answer.metrics, ttftMs: -1 } } },
              },
            ],
          },
        ],
      }),
    ).toEqual([['conversations.0.turns.0.answers.openai/gpt-4o.metrics.ttftMs', 'Cannot be negative']]);
  });

  it('pins by id with a yes or no', () => {
    expect(ZSetPinnedInput.safeParse({ id: 2, pinned: true }).success).toBe(true);
    expect(ZSetPinnedInput.safeParse({ id: 2 }).success).toBe(false);
  });
});
