import type { TConversationDetail, TMessage } from '@compareintel/shared';
import { cleanup, render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyView, storedFromLive, viewFromDetail, withCurrentTurn, ZTurn } from './conversation-view';
import { ResultCard } from './ResultCard';
import { RunStore } from './run-store';

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

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
    sources: [],
    searches: 0,
    notes: [],
    ...overrides,
  };
}

function detail(answers: Record<string, TMessage>): TConversationDetail {
  return {
    id: 7,
    blindRunId: null,
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

describe('a reopened conversation with web search', () => {
  const sources = [
    { url: 'https://a.example/', title: 'A' },
    { url: 'https://b.example/', title: 'B' },
  ];

  it('keeps each answer’s sources, searches and notes', () => {
    const view = viewFromDetail(
      detail({
        'a/one': message({ content: 'See [1].', sources, searches: 2, notes: ['Search failed: timed out.'] }),
        'b/two': message({
          modelId: 'b/two',
          content: 'Plain',
          notes: ["This model can't search the web; it answered without searching."],
        }),
      }),
    );
    expect(view.turns[0]?.answers['a/one']).toMatchObject({
      sources,
      searches: 2,
      notes: ['Search failed: timed out.'],
    });
    expect(view.turns[0]?.answers['b/two']).toMatchObject({
      sources: [],
      searches: 0,
      notes: ["This model can't search the web; it answered without searching."],
    });
  });

  it('shows them on the reopened card', () => {
    const view = viewFromDetail(
      detail({
        'a/one': message({ content: 'See [1].', sources, searches: 1, notes: ['Search failed: HTTP 429.'] }),
      }),
    );
    render(
      <ResultCard
        model={{ id: 'a/one', name: 'One', provider: 'a' }}
        turns={view.turns}
        live={undefined}
        onStop={null}
        onBreakout={null}
        breakoutBusy={false}
      />,
    );
    expect(screen.getByRole('link', { name: 'B' }).getAttribute('href')).toBe('https://b.example/');
    expect(screen.getByText('Search failed: HTTP 429.')).toBeTruthy();
    expect(screen.getByTitle(/^Web searches/).textContent).toBe('Web1 search');
    cleanup();
  });

  it('is kept with a visitor’s answers in this browser, and older kept answers still read', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply({
      type: 'tool',
      modelId: 'a/one',
      index: 0,
      tool: 'web_search',
      target: 'q',
      state: 'running',
      sources: [],
      note: null,
    });
    store.apply({
      type: 'tool',
      modelId: 'a/one',
      index: 0,
      tool: 'web_search',
      target: 'q',
      state: 'done',
      sources,
      note: null,
    });
    const live = store.answer('a/one');
    if (!live) throw new Error('no answer');
    const stored = storedFromLive(live);
    const kept = ZTurn.parse(JSON.parse(JSON.stringify({ prompt: 'Q', answers: { 'a/one': stored } })));
    expect(kept.answers['a/one']).toMatchObject({ sources, searches: 1, notes: [] });
    const older = ZTurn.parse({
      prompt: 'Q',
      answers: {
        'a/one': {
          text: 'A',
          status: 'done',
          error: null,
          metrics: { inputTokens: 1, outputTokens: 1, ttftMs: 1, durationMs: 1, credits: 0 },
        },
      },
    });
    expect(older.answers['a/one']?.sources).toBeUndefined();
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
