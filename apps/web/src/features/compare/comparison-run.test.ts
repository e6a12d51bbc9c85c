import type {
  TCompareEvent,
  TCompareEventsInput,
  TCompareStarted,
  TCompareStopInput,
} from '@compareintel/shared';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type RunHandlers,
  reattachComparisonRun,
  STOP_NOTICE_MS,
  startComparisonRun,
} from './comparison-run';
import type { CompareClient } from './follow-run-events';
import type { RunStore } from './run-store';

type EventsOptions = Parameters<CompareClient['events']['subscribe']>[1];

const RUN_ID = '0b7e0c52-3f1f-4c52-9a57-6a3c1f0f7a11';
const MODELS = ['a/one', 'b/two'];
const started: TCompareStarted = {
  runId: RUN_ID,
  conversationId: null,
  runSecret: 's'.repeat(32),
  models: MODELS,
  blind: false,
};

/**
 * compare.start / events / stop under the test's control: `start` answers when told, each
 * subscription's callbacks are kept so the test can play the server and the network.
 */
function fakeApi() {
  const subscriptions: Array<{ input: TCompareEventsInput; opts: EventsOptions; closed: boolean }> = [];
  const stops: TCompareStopInput[] = [];
  let answerStart: { resolve(value: TCompareStarted): void; reject(error: unknown): void } | null = null;
  let stopAnswer: () => Promise<{ stopped: boolean }> = async () => ({ stopped: true });
  const client: CompareClient = {
    start: {
      mutate: () =>
        new Promise<TCompareStarted>((resolve, reject) => {
          answerStart = { resolve, reject };
        }),
    },
    stop: {
      mutate: (input: TCompareStopInput) => {
        stops.push(input);
        return stopAnswer();
      },
    },
    events: {
      subscribe: (input: TCompareEventsInput, opts: EventsOptions) => {
        const subscription = { input, opts, closed: false };
        subscriptions.push(subscription);
        return {
          unsubscribe: () => {
            subscription.closed = true;
          },
        };
      },
    },
  };
  let nextId = 0;
  const current = () => {
    const last = subscriptions.at(-1);
    if (!last) throw new Error('nobody follows the run');
    return last;
  };
  return {
    client,
    subscriptions,
    stops,
    start: (value: TCompareStarted = started) => answerStart?.resolve(value),
    refuseStart: (error: unknown) => answerStart?.reject(error),
    answerStopWith(answer: () => Promise<{ stopped: boolean }>) {
      stopAnswer = answer;
    },
    send(event: TCompareEvent) {
      nextId++;
      current().opts.onData?.({ id: String(nextId), data: event });
    },
    connectionLost() {
      current().opts.onConnectionStateChange?.({
        type: 'state',
        state: 'connecting',
        error: TRPCClientError.from(new Event('error')),
      });
    },
    connected() {
      current().opts.onConnectionStateChange?.({ type: 'state', state: 'pending', error: null });
    },
    serverError(code: string, message: string, asState = false) {
      const error = TRPCClientError.from({
        error: { message, code: -32603, data: { code, app: { appCode: code, userMessage: message } } },
      });
      if (asState) current().opts.onConnectionStateChange?.({ type: 'state', state: 'connecting', error });
      else current().opts.onError?.(error);
    },
    streamGaveUp() {
      current().opts.onError?.(TRPCClientError.from(new Event('error')));
    },
  };
}

function handlers(overrides: Partial<RunHandlers> = {}) {
  const ended: RunStore[] = [];
  return {
    ended,
    handlers: {
      onStarted: vi.fn(),
      onRefused: vi.fn(),
      onEnded: (store: RunStore) => ended.push(store),
      ...overrides,
    } satisfies RunHandlers,
  };
}

const input = { models: MODELS, prompt: 'Compare these' };
const done = (modelId: string) =>
  ({
    type: 'modelDone',
    modelId,
    inputTokens: 3,
    outputTokens: 4,
    ttftMs: 10,
    durationMs: 50,
    credits: 0.1,
    costUsd: null,
    searches: 0,
  }) as const;

describe('a comparison run over compare.start and compare.events', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts, follows the events with the visitor secret and ends after done', async () => {
    const api = fakeApi();
    const { handlers: on, ended } = handlers();
    const run = startComparisonRun(input, on, api.client);
    expect(run.store.run().phase).toBe('connecting');
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(on.onStarted).toHaveBeenCalledWith(started);
    expect(run.store.run()).toMatchObject({ phase: 'streaming', runId: RUN_ID });
    expect(api.subscriptions[0]?.input).toEqual({ runId: RUN_ID, runSecret: started.runSecret });
    api.send({ type: 'started', runId: RUN_ID, conversationId: null, models: MODELS });
    api.send({ type: 'delta', modelId: 'a/one', text: 'Hello' });
    api.send(done('a/one'));
    api.send(done('b/two'));
    api.send({ type: 'done', creditsCharged: 1, creditsRemaining: 9 });
    await vi.advanceTimersByTimeAsync(700);
    expect(ended).toHaveLength(1);
    expect(run.store.answer('a/one')).toMatchObject({ text: 'Hello', status: 'done' });
    expect(run.store.run()).toMatchObject({ phase: 'finished', creditsRemaining: 9 });
    expect(api.subscriptions[0]?.closed).toBe(true);
  });

  it('hands a refusal back and runs nothing', async () => {
    const api = fakeApi();
    const { handlers: on, ended } = handlers();
    startComparisonRun(input, on, api.client);
    api.refuseStart(
      TRPCClientError.from({
        error: {
          message: 'x',
          code: -32600,
          data: {
            code: 'PAYMENT_REQUIRED',
            app: { appCode: 'PAYMENT_REQUIRED', userMessage: 'No credits left.' },
          },
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(700);
    expect(on.onRefused).toHaveBeenCalledWith(expect.objectContaining({ message: 'No credits left.' }));
    expect(api.subscriptions).toHaveLength(0);
    expect(ended).toHaveLength(1);
  });

  it('shows a dropped connection as reconnecting and keeps the cards open', async () => {
    const api = fakeApi();
    const { handlers: on, ended } = handlers();
    const run = startComparisonRun(input, on, api.client);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    api.send({ type: 'delta', modelId: 'a/one', text: 'Hel' });
    api.connectionLost();
    expect(run.store.run()).toMatchObject({ phase: 'streaming', reconnecting: true });
    await vi.advanceTimersByTimeAsync(700);
    expect(run.store.answer('a/one')?.status).toBe('streaming');
    expect(ended).toHaveLength(0);
    // The link reconnects by itself (after the last id) and the text goes on.
    api.connected();
    expect(run.store.run().reconnecting).toBe(false);
    api.send({ type: 'delta', modelId: 'a/one', text: 'lo' });
    await vi.advanceTimersByTimeAsync(50);
    expect(run.store.answer('a/one')?.text).toBe('Hello');
  });

  it('follows again after the last event when the stream itself gives up', async () => {
    const api = fakeApi();
    const { handlers: on } = handlers();
    const run = startComparisonRun(input, on, api.client);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    api.send({ type: 'delta', modelId: 'a/one', text: 'one' });
    api.send({ type: 'delta', modelId: 'a/one', text: ' two' });
    api.streamGaveUp();
    expect(run.store.run().reconnecting).toBe(true);
    expect(api.subscriptions).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.subscriptions).toHaveLength(2);
    expect(api.subscriptions[1]?.input).toMatchObject({ runId: RUN_ID, lastEventId: '2' });
    api.send({ type: 'delta', modelId: 'a/one', text: ' three' });
    await vi.advanceTimersByTimeAsync(50);
    expect(run.store.answer('a/one')?.text).toBe('one two three');
    expect(run.store.run().reconnecting).toBe(false);
  });

  it("ends the cards with the run's own failure, even when it comes as a retryable code", async () => {
    const api = fakeApi();
    const { handlers: on, ended } = handlers();
    const run = startComparisonRun(input, on, api.client);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    api.send(done('a/one'));
    api.serverError('INTERNAL', 'Your comparison could not be saved just now.', true);
    await vi.advanceTimersByTimeAsync(700);
    expect(ended).toHaveLength(1);
    expect(run.store.answer('a/one')?.status).toBe('done');
    expect(run.store.answer('b/two')).toMatchObject({
      status: 'error',
      error: 'Your comparison could not be saved just now.',
    });
    expect(api.subscriptions[0]?.closed).toBe(true);
  });

  it('says so on the card when Stop finds nothing running, or fails', async () => {
    const api = fakeApi();
    const { handlers: on } = handlers();
    const run = startComparisonRun(input, on, api.client);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    api.answerStopWith(async () => ({ stopped: false }));
    run.stop('a/one');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.stops).toEqual([{ runId: RUN_ID, modelId: 'a/one', runSecret: started.runSecret }]);
    expect(run.store.answer('a/one')?.notice).toMatch(/^Nothing to stop/);
    await vi.advanceTimersByTimeAsync(STOP_NOTICE_MS);
    expect(run.store.answer('a/one')?.notice).toBeNull();

    api.answerStopWith(() => Promise.reject(new TypeError('Failed to fetch')));
    run.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(run.store.run().notice).toBe("Could not stop: Can't reach CompareIntel. Check your connection.");
  });

  it('says nothing when Stop took, and nothing when the answer had ended meanwhile', async () => {
    const api = fakeApi();
    const { handlers: on } = handlers();
    const run = startComparisonRun(input, on, api.client);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    run.stop('a/one');
    api.answerStopWith(async () => ({ stopped: false }));
    api.send(done('b/two'));
    run.stop('b/two');
    await vi.advanceTimersByTimeAsync(0);
    expect(run.store.answer('a/one')?.notice).toBeNull();
    expect(run.store.answer('b/two')?.notice).toBeNull();
  });

  it('remembers a stop asked for before the run was admitted and sends it right after', async () => {
    const api = fakeApi();
    const { handlers: on } = handlers();
    const run = startComparisonRun(input, on, api.client);
    run.stop();
    expect(api.stops).toHaveLength(0);
    expect(run.store.run().notice).toMatch(/Stopping as soon as/);
    api.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.stops).toEqual([{ runId: RUN_ID, runSecret: started.runSecret }]);
    expect(run.store.run().notice).toBeNull();
  });

  it('follows a run again after a reload from its first event, or reports it lost', async () => {
    const api = fakeApi();
    const entry = {
      runId: RUN_ID,
      runSecret: started.runSecret,
      conversationId: null,
      localId: 'local-1',
      models: MODELS,
      prompt: 'Compare these',
      startedAt: Date.now() - 2000,
    };
    const ended: RunStore[] = [];
    const run = reattachComparisonRun(entry, { onEnded: (store) => ended.push(store) }, api.client);
    expect(run.store.run().phase).toBe('streaming');
    expect(api.subscriptions[0]?.input).toEqual({ runId: RUN_ID, runSecret: started.runSecret });
    api.send({ type: 'started', runId: RUN_ID, conversationId: null, models: MODELS });
    api.send({ type: 'delta', modelId: 'a/one', text: 'all of it' });
    await vi.advanceTimersByTimeAsync(50);
    expect(run.store.answer('a/one')?.text).toBe('all of it');
    run.close();

    const gone = fakeApi();
    const onLost = vi.fn();
    reattachComparisonRun(entry, { onEnded: (store) => ended.push(store), onLost }, gone.client);
    gone.serverError('NOT_FOUND', 'This comparison is not running any more.');
    await vi.advanceTimersByTimeAsync(700);
    expect(onLost).toHaveBeenCalledWith(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(ended).toHaveLength(0);
  });
});
