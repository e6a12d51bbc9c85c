import { BLIND_LABELS, type TCompareRunInput, type TCompareStarted } from '@compareintel/shared';
import { useSyncExternalStore } from 'react';
import { type ReadableError, readError } from '../../lib/errors';
import { trpcClient } from '../../lib/trpc';
import { type CompareClient, followRunEvents, type RunTarget } from './follow-run-events';
import type { RunInFlight } from './run-in-flight';
import { type LiveAnswer, RunStore, type RunSummary } from './run-store';

export interface RunHandlers {
  /** The API admitted the run (and, for signed-in users, saved the prompt in `conversationId`). */
  onStarted(started: TCompareStarted): void;
  /** Refused before anything ran (credits, tier, validation, network): nothing was charged. */
  onRefused(error: ReadableError): void;
  /** Every model has ended, or the run failed; `store` holds the final answers. */
  onEnded(store: RunStore): void;
  /**
   * Followed again after a reload, the run turned out to be gone (unknown or expired) before anything
   * of it was shown. Without this handler that ends the cards like any failure.
   */
  onLost?(error: ReadableError): void;
}

export interface ComparisonRunHandle {
  store: RunStore;
  /** Stop one model, or all of them. */
  stop(modelId?: string): void;
  /** Leave the run: its stream closes, but the run goes on (and is saved) on the server. */
  close(): void;
}

/** How long a word about a stop that did not take stays on screen. */
export const STOP_NOTICE_MS = 6000;
const NOTHING_TO_STOP = 'Nothing to stop: the server had already ended it.';

/**
 * One run followed to its end: the events feed the store, Stop goes to `compare.stop` (remembered
 * until the run is admitted), and every stop that does not take says so on screen.
 */
function followedRun(store: RunStore, client: CompareClient, handlers: RunHandlers) {
  let target: RunTarget | null = null;
  let follower: { close(): void } | null = null;
  let ended = false;
  let closed = false;
  const pendingStops = new Set<string | null>();

  const end = () => {
    if (ended) return;
    ended = true;
    follower?.close();
    // Hand over once every card shows its final answer, so the hand-over re-renders nothing.
    void store.settled().then(() => {
      if (!closed) handlers.onEnded(store);
    });
  };

  const say = (modelId: string | null, notice: string) => {
    store.note(modelId, notice);
    setTimeout(() => {
      const current = modelId === null ? store.run().notice : store.answer(modelId)?.notice;
      if (current === notice) store.note(modelId, null);
    }, STOP_NOTICE_MS);
  };

  const sendStop = (to: RunTarget, modelId: string | null) => {
    const input = {
      runId: to.runId,
      ...(modelId ? { modelId } : {}),
      ...(to.runSecret ? { runSecret: to.runSecret } : {}),
    };
    client.stop.mutate(input).then(
      ({ stopped }) => {
        if (!stopped && store.isOpen(modelId ?? undefined)) say(modelId, NOTHING_TO_STOP);
      },
      (error: unknown) => {
        if (store.isOpen(modelId ?? undefined)) say(modelId, `Could not stop: ${readError(error).message}`);
      },
    );
  };

  return {
    /** The run is admitted: send any stop asked for meanwhile, and follow its events from the start. */
    follow(to: RunTarget) {
      target = to;
      for (const modelId of pendingStops) {
        store.note(modelId, null);
        sendStop(to, modelId);
      }
      pendingStops.clear();
      if (ended || closed) return;
      follower = followRunEvents(client, to, {
        onEvent: (event) => store.apply(event),
        onReconnecting: (reconnecting) => store.setReconnecting(reconnecting),
        onDone: end,
        onFailed(error, received) {
          if (!received && handlers.onLost) {
            ended = true;
            handlers.onLost(error);
            return;
          }
          store.fail(error.message);
          end();
        },
      });
    },
    refuse(error: ReadableError) {
      if (closed || ended) return;
      handlers.onRefused(error);
      store.fail(error.message);
      end();
    },
    handle: {
      store,
      stop(modelId) {
        if (target) {
          sendStop(target, modelId ?? null);
          return;
        }
        // Not admitted yet: stop right after `compare.start` answers.
        pendingStops.add(modelId ?? null);
        store.note(modelId ?? null, 'Stopping as soon as the comparison starts…');
      },
      close() {
        closed = true;
        follower?.close();
        store.dispose();
      },
    } satisfies ComparisonRunHandle,
    get closed() {
      return closed;
    },
  };
}

/** Start a comparison (`compare.start`), then follow its events until every model has ended. */
export function startComparisonRun(
  input: TCompareRunInput,
  handlers: RunHandlers,
  client: CompareClient = trpcClient.compare,
): ComparisonRunHandle {
  // A blind run's cards are its labels from the start (the API answers and streams nothing else).
  const store = new RunStore(input.blind ? BLIND_LABELS.slice(0, input.models.length) : input.models);
  const run = followedRun(store, client, handlers);
  client.start.mutate(input).then(
    (started) => {
      const target = { runId: started.runId, runSecret: started.runSecret };
      // Left before the API answered: the run goes on without us, but a stop asked for is still sent.
      if (run.closed) {
        run.follow(target);
        return;
      }
      store.admit(started.runId, started.conversationId);
      handlers.onStarted(started);
      run.follow(target);
    },
    (error: unknown) => run.refuse(readError(error)),
  );
  return run.handle;
}

/** Follow a run this tab started before a reload: its log replays from the first event. */
export function reattachComparisonRun(
  entry: RunInFlight,
  handlers: Pick<RunHandlers, 'onEnded' | 'onLost'>,
  client: CompareClient = trpcClient.compare,
): ComparisonRunHandle {
  const store = new RunStore(entry.models);
  store.admit(entry.runId, entry.conversationId, { elapsedMs: Math.max(0, Date.now() - entry.startedAt) });
  const run = followedRun(store, client, { onStarted: () => {}, onRefused: () => {}, ...handlers });
  run.follow({ runId: entry.runId, runSecret: entry.runSecret });
  return run.handle;
}

const noSubscription = () => () => {};

/** One card's live answer; re-renders only when this model's answer changes (at most once per frame). */
export function useLiveAnswer(store: RunStore | null, modelId: string): LiveAnswer | undefined {
  return useSyncExternalStore(store ? (listener) => store.subscribe(modelId, listener) : noSubscription, () =>
    store?.answer(modelId),
  );
}

export function useRunSummary(store: RunStore | null): RunSummary | null {
  return useSyncExternalStore(
    store ? (listener) => store.subscribeRun(listener) : noSubscription,
    () => store?.run() ?? null,
  );
}
