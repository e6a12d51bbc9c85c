import type { TCompareRunInput } from '@compareintel/shared';
import { useSyncExternalStore } from 'react';
import { NETWORK_MESSAGE, type ReadableError, readError } from '../../lib/errors';
import { trpcClient } from '../../lib/trpc';
import { type LiveAnswer, RunStore, type RunSummary } from './run-store';

export interface RunHandlers {
  /** The API admitted the run (and, for signed-in users, saved the prompt in `conversationId`). */
  onStarted(summary: RunSummary): void;
  /** Refused before anything ran (credits, tier, validation, network): nothing was charged. */
  onRefused(error: ReadableError): void;
  /** Every model has ended, or the run broke off; `store` holds the final answers. */
  onEnded(store: RunStore): void;
}

export interface ComparisonRunHandle {
  store: RunStore;
  /** Stop one model, or all of them. */
  stop(modelId?: string): void;
  /** Leave the run (closing the stream stops its models on the server). */
  close(): void;
}

/**
 * One comparison over the compare.run subscription. The stream is never resumed after a break:
 * re-subscribing would start (and charge) a second comparison, so a lost connection ends the open cards.
 */
export function startComparisonRun(input: TCompareRunInput, handlers: RunHandlers): ComparisonRunHandle {
  const store = new RunStore(input.models);
  let ended = false;
  let closed = false;
  // A visitor's proof that the run is theirs (signed-in users are known by their session).
  let runSecret: string | undefined;

  const end = () => {
    if (ended) return;
    ended = true;
    subscription.unsubscribe();
    // Hand over once every card shows its final answer, so the hand-over re-renders nothing.
    void store.settled().then(() => {
      if (!closed) handlers.onEnded(store);
    });
  };

  const refuseOrFail = (error: ReadableError) => {
    if (ended) return;
    if (store.run().phase === 'connecting') handlers.onRefused(error);
    store.fail(error.message);
    end();
  };

  const subscription = trpcClient.compare.run.subscribe(input, {
    onData(event) {
      store.apply(event);
      if (event.type === 'started') {
        runSecret = event.runSecret;
        handlers.onStarted(store.run());
      }
      if (event.type === 'done') end();
    },
    onError(error) {
      refuseOrFail(readError(error));
    },
    onConnectionStateChange(state) {
      if (state.state === 'connecting' && state.error) {
        const phase = store.run().phase;
        refuseOrFail(
          phase === 'connecting'
            ? { ...readError(state.error), message: NETWORK_MESSAGE, code: 'NETWORK' }
            : { ...readError(state.error), message: 'The connection was lost before this answer finished.' },
        );
      }
    },
    onComplete() {
      if (store.run().phase !== 'finished') store.fail('The comparison ended before this answer finished.');
      end();
    },
  });

  return {
    store,
    stop(modelId) {
      const { runId } = store.run();
      if (runId === null) {
        // Not admitted yet: leaving the stream cancels it before anything runs.
        store.fail('Stopped.');
        end();
        return;
      }
      const target = { runId, ...(modelId ? { modelId } : {}), ...(runSecret ? { runSecret } : {}) };
      trpcClient.compare.stop.mutate(target).catch(() => {
        // The run may have just ended; if the API is unreachable, closing the stream stops it too.
        if (!modelId) end();
      });
    },
    close() {
      closed = true;
      if (!ended) {
        ended = true;
        subscription.unsubscribe();
      }
      store.dispose();
    },
  };
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
