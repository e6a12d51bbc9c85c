import type { TConversationDetail, TMessage } from '@compareintel/shared';
import { describe, expect, it } from 'vitest';
import { emptyView, viewFromDetail, withCurrentTurn } from './conversation-view';

function message(overrides: Partial<TMessage>): TMessage {
  return {
    id: 1,
    role: 'assistant',
    modelId: 'a/one',
    content: '',
    inputTokens: 10,
    outputTokens: 5,
    success: true,
    processingTimeMs: 900,
    createdAt: '2026-12-01T10:00:00.000Z',
    status: 'done',
    error: null,
    ttftMs: 120,
    credits: 0.4,
    costUsd: null,
    ...overrides,
  };
}

function detail(answers: Record<string, TMessage>): TConversationDetail {
  return {
    id: 7,
    title: null,
    preview: 'Q',
    modelsUsed: Object.keys(answers),
    type: 'comparison',
    parentConversationId: null,
    breakoutModelId: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    messageCount: 1 + Object.keys(answers).length,
    pinned: false,
    prompts: [
      message({ role: 'user', modelId: null, content: 'Q', status: null, ttftMs: null, credits: null }),
    ],
    threads: Object.fromEntries(Object.entries(answers).map(([id, answer]) => [id, [answer]])),
  };
}

describe('a reopened conversation', () => {
  it('shows a failed answer’s partial text and its reason, a stopped one as stopped, and stored metrics', () => {
    const view = viewFromDetail(
      detail({
        'a/one': message({
          costUsd: 0.004,
          content: 'Done text',
        }),
        'b/two': message({
          modelId: 'b/two',
          content: 'Half an ans',
          success: false,
          status: 'failed',
          error: 'The provider closed the stream.',
          credits: 0,
        }),
        'c/three': message({
          modelId: 'c/three',
          content: 'Stopped he',
          success: false,
          status: 'stopped',
          error: 'Stopped.',
        }),
        'd/four': message({
          modelId: 'd/four',
          content: 'HTTP 500',
          success: false,
          status: 'failed',
          error: 'HTTP 500',
        }),
      }),
    );
    const answers = view.turns[0]?.answers ?? {};
    expect(answers['a/one']).toMatchObject({ text: 'Done text', status: 'done', error: null });
    expect(answers['a/one']?.metrics).toMatchObject({
      ttftMs: 120,
      credits: 0.4,
      durationMs: 900,
      costUsd: 0.004,
    });
    expect(answers['b/two']).toMatchObject({
      text: 'Half an ans',
      status: 'error',
      error: 'The provider closed the stream.',
    });
    expect(answers['c/three']).toMatchObject({ text: 'Stopped he', status: 'stopped' });
    // Failed before any text: the reason shows once, as the error.
    expect(answers['d/four']).toMatchObject({ text: '', status: 'error', error: 'HTTP 500' });
  });
});

describe('withCurrentTurn', () => {
  const answered = {
    text: 'A',
    status: 'done' as const,
    error: null,
    metrics: { inputTokens: 1, outputTokens: 1, ttftMs: 1, durationMs: 1, credits: 0 },
  };
  const view = { ...emptyView(['a/one']), turns: [{ prompt: 'First', answers: { 'a/one': answered } }] };

  it('keeps a view whose last turn is the prompt already (the API saved it when the run started)', () => {
    const saved = { ...view, turns: [...view.turns, { prompt: 'Second', answers: { 'a/one': null } }] };
    expect(withCurrentTurn(saved, 'Second')).toBe(saved);
  });

  it('adds the prompt as the current turn otherwise, once', () => {
    const next = withCurrentTurn(view, 'Second');
    expect(next.turns.map((turn) => turn.prompt)).toEqual(['First', 'Second']);
    expect(next.turns[1]?.answers).toEqual({});
    expect(withCurrentTurn(next, 'Second')).toBe(next);
  });
});
