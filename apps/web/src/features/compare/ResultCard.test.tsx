import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredAnswer, Turn } from './conversation-view';
import { ResultCard } from './ResultCard';
import type { LiveAnswer } from './run-store';

beforeAll(() => {
  // jsdom has no ResizeObserver (the card keeps its thread scrolled to the bottom with one).
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(cleanup);

const model = { id: 'a/one', name: 'Model One', provider: 'a' };

function answer(overrides: Partial<StoredAnswer> = {}): StoredAnswer {
  return {
    text: 'An answer.',
    status: 'done',
    error: null,
    metrics: { inputTokens: 10, outputTokens: 20, ttftMs: 120, durationMs: 900, credits: 0.4, costUsd: null },
    ...overrides,
  };
}

function turnsWith(last: StoredAnswer | null): Turn[] {
  return [{ prompt: 'Question', answers: { [model.id]: last } }];
}

const waiting: LiveAnswer = {
  modelId: model.id,
  text: '',
  status: 'waiting',
  error: null,
  startedAt: 0,
  firstTokenAt: null,
  pieces: 0,
  metrics: { inputTokens: null, outputTokens: null, ttftMs: null, durationMs: null, credits: null },
  notice: null,
  activity: null,
  sources: [],
  searches: 0,
  notes: [],
};

function card(props: Partial<Parameters<typeof ResultCard>[0]> = {}) {
  return render(
    <ResultCard
      model={model}
      turns={turnsWith(answer())}
      live={undefined}
      onStop={null}
      onBreakout={null}
      breakoutBusy={false}
      {...props}
    />,
  );
}

describe('ResultCard: retry and regenerate', () => {
  it('offers "Retry this model" on a failed answer, keeping its reason shown', () => {
    const onRetry = vi.fn();
    card({
      turns: turnsWith(answer({ text: '', status: 'error', error: 'Provider returned 503.' })),
      onRetry,
    });
    expect(screen.getByRole('alert').textContent).toBe('Provider returned 503.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry this model: Model One' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('offers "Retry this model" on a stopped or timed-out answer too', () => {
    card({ turns: turnsWith(answer({ status: 'stopped', error: 'Stopped.' })), onRetry: () => {} });
    expect(screen.getByRole('button', { name: 'Retry this model: Model One' })).toBeTruthy();
    cleanup();
    card({
      turns: turnsWith(answer({ text: '', status: 'error', error: 'No complete answer within 120 s.' })),
      onRetry: () => {},
    });
    expect(screen.getByText('No complete answer within 120 s.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry this model: Model One' })).toBeTruthy();
  });

  it('offers "Regenerate" on a finished answer', () => {
    card({ onRetry: () => {} });
    expect(screen.getByRole('button', { name: 'Regenerate: Model One' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Retry this model/ })).toBeNull();
  });

  it('offers neither while a run is in flight, nor for a turn this model was not asked', () => {
    card({ onRetry: () => {}, busy: true });
    expect(screen.queryByRole('button', { name: /Regenerate|Retry/ })).toBeNull();
    cleanup();
    card({ onRetry: () => {}, turns: turnsWith(null) });
    expect(screen.queryByRole('button', { name: /Regenerate|Retry/ })).toBeNull();
    expect(screen.getByText('Not asked this turn.')).toBeTruthy();
  });

  it('replaces the failed answer (and its reason) once the retry starts', () => {
    card({
      turns: turnsWith(answer({ text: '', status: 'error', error: 'Provider returned 503.' })),
      live: waiting,
      onRetry: () => {},
    });
    expect(screen.queryByText('Provider returned 503.')).toBeNull();
    expect(screen.getByText(/Waiting for the first token/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
  });
});

describe('ResultCard: reply to one model', () => {
  it('sends a follow-up to this model alone from its reply box', () => {
    const onReply = vi.fn();
    card({ onReply });
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Model One only' }));
    const box = screen.getByPlaceholderText('Reply to Model One only…');
    fireEvent.change(box, { target: { value: '  Tell me more  ' } });
    fireEvent.click(screen.getByRole('button', { name: /Send to Model One/ }));
    expect(onReply).toHaveBeenCalledWith('Tell me more');
    expect(screen.queryByPlaceholderText('Reply to Model One only…')).toBeNull();
  });

  it('cannot send while a run is in flight, and gets a refused reply back', () => {
    card({ onReply: () => {}, busy: true, replyRestore: 'Refused follow-up' });
    const box = screen.getByPlaceholderText<HTMLTextAreaElement>('Reply to Model One only…');
    expect(box.value).toBe('Refused follow-up');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Send to Model One/ }).disabled).toBe(true);
  });

  it('shows what the reply would cost as it is typed', () => {
    card({ onReply: () => {}, replyEstimate: (prompt) => <span>estimate for “{prompt}”</span> });
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Model One only' }));
    fireEvent.change(screen.getByPlaceholderText('Reply to Model One only…'), { target: { value: 'More' } });
    expect(screen.getByText('estimate for “More”')).toBeTruthy();
  });

  it('offers no reply box where the card has none (a single-model conversation)', () => {
    card();
    expect(screen.queryByRole('button', { name: /Reply to/ })).toBeNull();
  });
});

describe('ResultCard: figures', () => {
  it('shows the provider’s USD cost when it reported one, next to the credits', () => {
    card({ turns: turnsWith(answer({ metrics: { ...answer().metrics, costUsd: 0.00123 } })) });
    expect(screen.getByTitle('What the provider charged for this answer (USD)').textContent).toContain(
      '$0.0012',
    );
    expect(screen.getByTitle('Credits for this answer').textContent).toContain('0.4');
  });

  it('shows no cost when the provider reported none', () => {
    card();
    expect(screen.queryByTitle('What the provider charged for this answer (USD)')).toBeNull();
  });
});

describe('ResultCard: web search', () => {
  const sources = [
    { url: 'https://www.rust-lang.org/news', title: 'Rust news' },
    { url: 'https://blog.example.com/edition', title: 'The 2024 edition' },
  ];

  it('says which search or page the model waits on, politely, and nothing once text resumes', () => {
    card({
      live: { ...waiting, activity: { index: 0, tool: 'web_search', target: 'rust 2024 edition' } },
    });
    const status = screen.getByTestId('tool-status');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('Searching: rust 2024 edition');
    cleanup();
    card({
      live: { ...waiting, activity: { index: 1, tool: 'fetch_url', target: 'https://example.com/a' } },
    });
    expect(screen.getByTestId('tool-status').textContent).toBe('Reading: https://example.com/a');
    cleanup();
    card({ live: { ...waiting, status: 'streaming', text: 'Resumed', activity: null } });
    expect(screen.queryByTestId('tool-status')).toBeNull();
  });

  it('shows a failed search as a note while the answer goes on', () => {
    card({
      live: {
        ...waiting,
        status: 'streaming',
        text: 'Still answering',
        notes: ['Search failed: timed out.'],
      },
    });
    expect(screen.getByRole('list', { name: 'Notes' }).textContent).toBe('Search failed: timed out.');
    expect(screen.getByText('Still answering')).toBeTruthy();
  });

  it('lists the sources as numbered links that open apart, and counts the searches', () => {
    card({ turns: turnsWith(answer({ sources, searches: 2 })) });
    const list = screen.getByRole('region', { name: 'Sources' });
    const items = list.querySelectorAll('li');
    expect([...items].map((item) => item.textContent)).toEqual([
      '1.Rust newsrust-lang.org',
      '2.The 2024 editionblog.example.com',
    ]);
    const link = screen.getByRole('link', { name: 'The 2024 edition' });
    expect(link.getAttribute('href')).toBe('https://blog.example.com/edition');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(screen.getByTitle(/^Web searches for this answer/).textContent).toBe('Web2 searches');
  });

  it('never makes a link of a source that is not a web page', () => {
    card({ turns: turnsWith(answer({ sources: [{ url: 'javascript:alert(1)', title: 'Trap' }] })) });
    expect(screen.getByRole('region', { name: 'Sources' }).textContent).toContain('Trap');
    expect(screen.queryByRole('link', { name: 'Trap' })).toBeNull();
  });

  it('shows neither sources nor a search count for an answer that did not search', () => {
    card();
    expect(screen.queryByRole('region', { name: 'Sources' })).toBeNull();
    expect(screen.queryByTitle(/^Web searches/)).toBeNull();
  });

  it('links citations to existing sources only, and not inside code', async () => {
    const text = 'Rust ships editions [1] and [2], not [3].\n\n`see [1]`\n\n```\nlet a = b[2];\n```';
    const { container } = card({ turns: turnsWith(answer({ text, sources })) });
    // The markdown renderer loads lazily: on a busy machine that takes longer than findBy's default second.
    const citation = await screen.findByRole('link', { name: '[1]' }, { timeout: 5000 });
    expect(citation.getAttribute('href')).toBe('https://www.rust-lang.org/news');
    expect(citation.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(screen.getByRole('link', { name: '[2]' }).getAttribute('href')).toBe(
      'https://blog.example.com/edition',
    );
    expect(screen.queryByRole('link', { name: '[3]' })).toBeNull();
    expect(container.querySelector('.markdown p')?.textContent).toContain('not [3].');
    expect(container.querySelectorAll('.markdown code a')).toHaveLength(0);
    expect(container.querySelector('pre')?.textContent).toContain('b[2]');
  });
});
