import type { AppRouter } from '@compareintel/api';
import type {
  TCompareEvent,
  TCompareEventsInput,
  TCompareRunInput,
  TCompareStarted,
  TCompareStopInput,
} from '@compareintel/shared';
import type { TRPCClientError } from '@trpc/client';
import { NETWORK_MESSAGE, type ReadableError, readError } from '../../lib/errors';
import type { trpcClient } from '../../lib/trpc';

type EventsObserver = Parameters<(typeof trpcClient)['compare']['events']['subscribe']>[1];

/** What a comparison run needs from the API: the tRPC client's `compare`, or a stand-in in tests. */
export interface CompareClient {
  start: { mutate(input: TCompareRunInput): Promise<TCompareStarted> };
  events: { subscribe(input: TCompareEventsInput, observer: EventsObserver): { unsubscribe(): void } };
  stop: { mutate(input: TCompareStopInput): Promise<{ stopped: boolean }> };
}

export interface RunTarget {
  runId: string;
  /** Visitors only: their proof that the run is theirs. */
  runSecret: string | null;
}

export interface RunEventsObserver {
  onEvent(event: TCompareEvent): void;
  /** The connection dropped (true) or is back (false); events resume after the last one received. */
  onReconnecting(reconnecting: boolean): void;
  onDone(): void;
  /** The run failed, or the API does not know it (NOT_FOUND); `received` says whether any event came. */
  onFailed(error: ReadableError, received: boolean): void;
}

/** Waits between attempts to follow again after the stream itself gave up (a proxy's 502, a 403 …). */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
/** A run ends within a few minutes; this long without a single event, the connection is not coming back. */
export const GIVE_UP_AFTER_MS = 5 * 60_000;

/**
 * An error the API itself sent about this run (it failed, it is unknown): the `data` of an error
 * shape is only there when the server answered, never when the connection broke.
 */
function isRunError(error: TRPCClientError<AppRouter>): boolean {
  return error.data?.app != null;
}

/**
 * Follow a run's `compare.events` to its end. A dropped connection is not the run's end: the
 * subscription link reconnects with the last event id by itself, and when the stream gives up for good
 * (an HTTP error instead of a stream) it is followed again from the last event here. Only the API's
 * own word ends it: `done`, or an error about the run.
 */
export function followRunEvents(
  client: CompareClient,
  target: RunTarget,
  observer: RunEventsObserver,
): { close(): void } {
  let lastEventId: string | null = null;
  let subscription: { unsubscribe(): void } | null = null;
  let generation = 0;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let giveUpTimer: ReturnType<typeof setTimeout> | undefined;

  const close = () => {
    closed = true;
    generation++;
    subscription?.unsubscribe();
    subscription = null;
    clearTimeout(retryTimer);
    clearTimeout(giveUpTimer);
  };

  const fail = (error: ReadableError) => {
    close();
    observer.onFailed(error, lastEventId !== null);
  };

  const reconnecting = () => {
    observer.onReconnecting(true);
    giveUpTimer ??= setTimeout(
      () =>
        fail({
          ...readError(null),
          code: 'NETWORK',
          message: `${NETWORK_MESSAGE} The comparison may have finished: open it from your history.`,
        }),
      GIVE_UP_AFTER_MS,
    );
  };

  const followAgainLater = () => {
    subscription = null;
    generation++;
    reconnecting();
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    attempt++;
    retryTimer = setTimeout(follow, delay);
  };

  function follow() {
    if (closed) return;
    const mine = ++generation;
    const current = () => !closed && generation === mine;
    subscription = client.events.subscribe(
      {
        runId: target.runId,
        ...(target.runSecret ? { runSecret: target.runSecret } : {}),
        ...(lastEventId ? { lastEventId } : {}),
      },
      {
        onData({ id, data: event }) {
          if (!current()) return;
          lastEventId = id;
          attempt = 0;
          clearTimeout(giveUpTimer);
          giveUpTimer = undefined;
          observer.onReconnecting(false);
          observer.onEvent(event);
          if (event.type === 'done' || event.type === 'failed') {
            close();
            observer.onDone();
          }
        },
        onConnectionStateChange(state) {
          if (!current()) return;
          if (state.state === 'pending') observer.onReconnecting(false);
          if (state.state !== 'connecting' || !state.error) return;
          // A run's failure comes with a retryable code (INTERNAL): the link would fetch it again and again.
          if (isRunError(state.error)) fail(readError(state.error));
          else reconnecting();
        },
        onError(error) {
          if (!current()) return;
          if (error.data) fail(readError(error));
          else followAgainLater();
        },
        onComplete() {
          // The stream closed before `done` (the server's time limit, a restart): follow on from the last event.
          if (current()) followAgainLater();
        },
      },
    );
  }

  follow();
  return { close };
}
