import type { TSource } from '@compareintel/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunStore, withSources } from './run-store';

/** requestAnimationFrame under the test's control: `frame(ms)` runs one frame, `ms` after the last. */
function fakeFrames() {
  let callbacks: FrameRequestCallback[] = [];
  let clock = 0;
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
    callbacks.push(callback);
    return callbacks.length;
  });
  vi.stubGlobal('cancelAnimationFrame', () => {
    callbacks = [];
  });
  return {
    frame(ms = 16) {
      clock += ms;
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback(clock);
    },
    pending: () => callbacks.length,
  };
}

const delta = (modelId: string, text: string) => ({ type: 'delta' as const, modelId, text });

describe('RunStore', () => {
  let frames: ReturnType<typeof fakeFrames>;
  beforeEach(() => {
    frames = fakeFrames();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('buffers deltas and publishes them once per frame, one notification per card', () => {
    const store = new RunStore(['a/one', 'b/two'], () => 0);
    const seen: string[] = [];
    store.subscribe('a/one', () => seen.push(store.answer('a/one')?.text ?? ''));
    store.apply({ type: 'started', conversationId: null, runId: 'run-1', models: ['a/one', 'b/two'] });
    for (const piece of ['Hel', 'lo', ' wor', 'ld']) store.apply(delta('a/one', piece));
    expect(store.answer('a/one')?.text).toBe('');
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(seen).toEqual(['Hello world']);
    expect(store.answer('a/one')).toMatchObject({ status: 'streaming', pieces: 4 });
    expect(store.answer('b/two')?.status).toBe('waiting');
  });

  it('ends a model with its reported metrics and keeps late text out', () => {
    const store = new RunStore(['a/one']);
    store.apply(delta('a/one', 'answer'));
    store.apply({
      type: 'modelDone',
      modelId: 'a/one',
      inputTokens: 5,
      outputTokens: 9,
      ttftMs: 40,
      durationMs: 500,
      credits: 0.2,
      costUsd: 0.002,
      searches: 0,
    });
    store.apply(delta('a/one', ' too late'));
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({
      text: 'answer',
      status: 'done',
      metrics: { inputTokens: 5, outputTokens: 9, ttftMs: 40, durationMs: 500, credits: 0.2, costUsd: 0.002 },
    });
  });

  it('tells a stopped model from a failed one', () => {
    const store = new RunStore(['a/one', 'b/two']);
    store.apply({ type: 'modelError', modelId: 'a/one', message: 'Stopped.' });
    store.apply({ type: 'modelError', modelId: 'b/two', message: 'No complete answer within 120 s.' });
    frames.frame();
    expect(store.answer('a/one')?.status).toBe('stopped');
    expect(store.answer('b/two')).toMatchObject({
      status: 'error',
      error: 'No complete answer within 120 s.',
    });
  });

  it('keeps the API’s figures for a stopped answer: it is charged for what it produced', () => {
    const store = new RunStore(['a/one']);
    store.apply(delta('a/one', 'half an'));
    store.apply({
      type: 'modelError',
      modelId: 'a/one',
      message: 'Stopped.',
      inputTokens: 12,
      outputTokens: 30,
      ttftMs: 80,
      durationMs: 700,
      credits: 0.35,
      costUsd: 0.0035,
    });
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({
      status: 'stopped',
      text: 'half an',
      metrics: {
        inputTokens: 12,
        outputTokens: 30,
        ttftMs: 80,
        durationMs: 700,
        credits: 0.35,
        costUsd: 0.0035,
      },
    });
  });

  it('updates fewer cards per frame when frames get slow, the longest-waiting first', () => {
    const ids = Array.from({ length: 12 }, (_, index) => `m/${index}`);
    const store = new RunStore(ids);
    const updates = new Map<string, number>();
    for (const id of ids) store.subscribe(id, () => updates.set(id, (updates.get(id) ?? 0) + 1));
    const publishedIn = (ms: number) => {
      for (const id of ids) store.apply(delta(id, 'x'));
      const before = [...updates.values()].reduce((sum, count) => sum + count, 0);
      frames.frame(ms);
      return [...updates.values()].reduce((sum, count) => sum + count, 0) - before;
    };
    expect(publishedIn(200)).toBe(4); // the first frame starts small
    expect(publishedIn(60)).toBe(2); // a very slow frame halves it
    expect(publishedIn(30)).toBe(1); // a slow frame takes one off
    const quick = [publishedIn(100), publishedIn(16), publishedIn(16)];
    expect(quick[2]).toBeGreaterThan(quick[1] ?? 0);
    // Nobody starves: every card has been updated by now.
    for (let i = 0; i < 20; i++) publishedIn(100);
    expect(ids.every((id) => (updates.get(id) ?? 0) > 0)).toBe(true);
  });

  it('settles once every buffered change reached the cards', async () => {
    const store = new RunStore(['a/one']);
    store.apply(delta('a/one', 'text'));
    let settled = false;
    const done = store.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    frames.frame();
    await done;
    expect(settled).toBe(true);
  });

  it('fails every open card with the reason', () => {
    const store = new RunStore(['a/one', 'b/two']);
    store.apply({
      type: 'modelDone',
      modelId: 'a/one',
      inputTokens: 1,
      outputTokens: 2,
      ttftMs: 1,
      durationMs: 2,
      credits: 0,
      costUsd: null,
      searches: 0,
    });
    frames.frame();
    store.fail("Can't reach CompareIntel. Check your connection.");
    expect(store.answer('a/one')?.status).toBe('done');
    expect(store.answer('b/two')).toMatchObject({
      status: 'error',
      error: "Can't reach CompareIntel. Check your connection.",
    });
    expect(store.run().phase).toBe('failed');
  });
  it('counts from admission, and a reload says how long ago that was', () => {
    let clock = 10_000;
    const store = new RunStore(['a/one'], () => clock);
    store.admit('run-1', 7, { elapsedMs: 2500 });
    expect(store.run()).toMatchObject({ phase: 'streaming', runId: 'run-1', conversationId: 7 });
    expect(store.answer('a/one')?.startedAt).toBe(7500);
    // The replayed `started` event does not restart the clock, and replayed text times nothing.
    clock = 12_000;
    store.apply({ type: 'started', conversationId: 7, runId: 'run-1', models: ['a/one'] });
    store.apply(delta('a/one', 'replayed'));
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({ startedAt: 7500, firstTokenAt: null, text: 'replayed' });
  });

  it('marks the run reconnecting without touching the cards, until it finishes', () => {
    const store = new RunStore(['a/one']);
    let runNotifications = 0;
    store.subscribeRun(() => runNotifications++);
    store.admit('run-1', null);
    store.setReconnecting(true);
    store.setReconnecting(true);
    expect(store.run().reconnecting).toBe(true);
    expect(store.answer('a/one')?.status).toBe('waiting');
    expect(runNotifications).toBe(2);
    store.apply({ type: 'done', creditsCharged: 0, creditsRemaining: 5 });
    expect(store.run()).toMatchObject({ phase: 'finished', reconnecting: false });
  });

  it('keeps a notice on one card or on the run, and drops a card notice when its answer ends', () => {
    const store = new RunStore(['a/one', 'b/two']);
    const seen: Array<string | null> = [];
    store.subscribe('a/one', () => seen.push(store.answer('a/one')?.notice ?? null));
    store.note('a/one', 'Nothing to stop.');
    store.note(null, 'Could not stop.');
    expect(seen).toEqual(['Nothing to stop.']);
    expect(store.answer('b/two')?.notice).toBeNull();
    expect(store.run().notice).toBe('Could not stop.');
    expect(store.isOpen('a/one')).toBe(true);
    store.apply({ type: 'modelError', modelId: 'a/one', message: 'Stopped.' });
    // Ended, though not shown yet: no longer open.
    expect(store.isOpen('a/one')).toBe(false);
    expect(store.isOpen()).toBe(true);
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({ status: 'stopped', notice: null });
  });
});

describe('RunStore: web search', () => {
  let frames: ReturnType<typeof fakeFrames>;
  beforeEach(() => {
    frames = fakeFrames();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const tool = (
    index: number,
    state: 'running' | 'done' | 'failed',
    extra: { tool?: 'web_search' | 'fetch_url'; target?: string; sources?: TSource[]; note?: string } = {},
  ) => ({
    type: 'tool' as const,
    modelId: 'a/one',
    index,
    tool: extra.tool ?? ('web_search' as const),
    target: extra.target ?? 'rust 2024 edition',
    state,
    sources: extra.sources ?? [],
    note: extra.note ?? null,
  });
  const page = (url: string, title = url) => ({ url, title });

  it('shows the latest running call until it ends, and again until text resumes', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply(tool(0, 'running'));
    expect(store.answer('a/one')?.activity).toEqual({
      index: 0,
      tool: 'web_search',
      target: 'rust 2024 edition',
    });
    store.apply(tool(0, 'done'));
    expect(store.answer('a/one')?.activity).toBeNull();
    store.apply(tool(1, 'running', { tool: 'fetch_url', target: 'https://blog.rust-lang.org/' }));
    expect(store.answer('a/one')?.activity).toMatchObject({
      tool: 'fetch_url',
      target: 'https://blog.rust-lang.org/',
    });
    store.apply(delta('a/one', 'The edition'));
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({ text: 'The edition', activity: null });
  });

  it('counts each search call once (reading a page is not a search) until the model reports its count', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply(tool(0, 'running'));
    store.apply(tool(0, 'running'));
    store.apply(tool(1, 'running', { tool: 'fetch_url', target: 'https://example.com/' }));
    store.apply(tool(2, 'running', { target: 'second query' }));
    expect(store.answer('a/one')?.searches).toBe(2);
    store.apply({
      type: 'modelDone',
      modelId: 'a/one',
      inputTokens: 5,
      outputTokens: 9,
      ttftMs: 40,
      durationMs: 500,
      credits: 1.2,
      costUsd: null,
      searches: 3,
    });
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({ status: 'done', searches: 3, activity: null });
    expect(store.answer('a/one')?.metrics).not.toHaveProperty('searches');
  });

  it('notes a failed call on the card and goes on answering', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply(tool(0, 'running'));
    store.apply(tool(0, 'failed', { note: 'the search provider timed out.' }));
    store.apply(tool(1, 'running', { tool: 'fetch_url', target: 'https://example.com/x' }));
    store.apply(tool(1, 'failed', { tool: 'fetch_url', target: 'https://example.com/x', note: 'HTTP 404.' }));
    expect(store.answer('a/one')).toMatchObject({
      activity: null,
      notes: ['Search failed: the search provider timed out.', 'Reading failed: HTTP 404.'],
    });
    store.apply(delta('a/one', 'Anyway, '));
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({ text: 'Anyway, ', status: 'streaming' });
  });

  it('adds the sources of finished calls, each URL once, in the order they came', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply(
      tool(0, 'done', { sources: [page('https://a.example/', 'A'), page('https://b.example/', 'B')] }),
    );
    store.apply(
      tool(1, 'done', { sources: [page('https://b.example/', 'B again'), page('https://c.example/', 'C')] }),
    );
    expect(store.answer('a/one')?.sources).toEqual([
      page('https://a.example/', 'A'),
      page('https://b.example/', 'B'),
      page('https://c.example/', 'C'),
    ]);
  });

  it('keeps a note event (why the model did not search) and ignores tool events once the model ended', () => {
    const store = new RunStore(['a/one'], () => 0);
    store.apply({
      type: 'note',
      modelId: 'a/one',
      message: "This model can't search the web; it answered without searching.",
    });
    store.apply({ type: 'modelError', modelId: 'a/one', message: 'HTTP 500' });
    store.apply(tool(0, 'done', { sources: [page('https://late.example/')] }));
    frames.frame();
    expect(store.answer('a/one')).toMatchObject({
      status: 'error',
      notes: ["This model can't search the web; it answered without searching."],
      sources: [],
    });
  });
});

describe('withSources', () => {
  it('returns the same list when nothing new came (so the card does not re-render)', () => {
    const sources = [{ url: 'https://a.example/', title: 'A' }];
    expect(withSources(sources, [{ url: 'https://a.example/', title: 'A' }])).toBe(sources);
  });
});
