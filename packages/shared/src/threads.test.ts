import { describe, expect, it } from 'vitest';
import { ZConversationThreads } from './schemas/conversation';
import { groupConversationMessages, modelThread } from './threads';

let nextId = 1;
function message(role: 'user' | 'assistant', modelId: string | null, content: string, success = true) {
  return {
    id: nextId++,
    role,
    modelId,
    content,
    inputTokens: 10,
    outputTokens: role === 'assistant' ? 20 : null,
    success,
    processingTimeMs: role === 'assistant' ? 1200 : null,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const a = 'openai/gpt-4o';
const b = 'anthropic/claude-haiku-4.5';
const c = 'google/gemini-2.5-flash';
const messages = [
  message('user', null, 'first'),
  message('assistant', a, 'a1'),
  message('assistant', b, 'b1 failed', false),
  message('user', null, 'second'),
  message('assistant', b, 'b2'),
  message('assistant', a, 'a2'),
  message('assistant', c, 'c2'),
];

describe('groupConversationMessages', () => {
  it('aligns each model’s answers with the prompts', () => {
    const grouped = groupConversationMessages([...messages].reverse());
    expect(grouped.prompts.map((prompt) => prompt.content)).toEqual(['first', 'second']);
    expect(grouped.threads[a]?.map((answer) => answer?.content)).toEqual(['a1', 'a2']);
    expect(grouped.threads[b]?.map((answer) => answer?.content)).toEqual(['b1 failed', 'b2']);
    expect(grouped.threads[c]?.map((answer) => answer?.content ?? null)).toEqual([null, 'c2']);
    expect(ZConversationThreads.safeParse(grouped).success).toBe(true);
  });
});

describe('modelThread', () => {
  it('holds the user turns and only that model’s successful answers', () => {
    expect(modelThread(messages, b).map((m) => m.content)).toEqual(['first', 'second', 'b2']);
    expect(modelThread(messages, b, { includeFailed: true }).map((m) => m.content)).toEqual([
      'first',
      'b1 failed',
      'second',
      'b2',
    ]);
    expect(modelThread(messages, a).map((m) => m.content)).toEqual(['first', 'a1', 'second', 'a2']);
  });
});

describe('modelThread after a retry or a regenerate', () => {
  const retried = [
    message('user', null, 'q1'),
    message('assistant', a, 'a1 old'),
    message('assistant', b, 'b1 failed', false),
    message('assistant', a, 'a1 regenerated'),
    message('assistant', b, 'b1 retried'),
    message('user', null, 'q2'),
    message('assistant', a, 'a2'),
    message('assistant', a, 'a2 retry failed', false),
  ];

  it('feeds only the latest answer of a turn, never both', () => {
    expect(modelThread(retried, a).map((m) => m.content)).toEqual(['q1', 'a1 regenerated', 'q2']);
    expect(modelThread(retried, b).map((m) => m.content)).toEqual(['q1', 'b1 retried', 'q2']);
  });

  it('shows the same latest answer as the cards do', () => {
    const grouped = groupConversationMessages(retried);
    expect(grouped.threads[a]?.map((m) => m?.content)).toEqual(['a1 regenerated', 'a2 retry failed']);
    expect(modelThread(retried, a, { includeFailed: true }).map((m) => m.content)).toEqual([
      'q1',
      'a1 regenerated',
      'q2',
      'a2 retry failed',
    ]);
  });
});
