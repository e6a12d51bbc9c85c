import type {
  TCompareEvent,
  TCompareEventsInput,
  TCompareRunInput,
  TCompareStarted,
} from '@compareintel/shared';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../router';

/** A typed client over real HTTP, as a Node program would use it; `headers` carry a cookie or bearer token. */
export function createTestClient(baseUrl: string, headers: () => Record<string, string> = () => ({})) {
  const url = `${baseUrl}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          }),
        }),
        // As the web app sends them: queries as POST, so long input (a prompt, a search) is never in a URL.
        false: httpBatchLink({ url, headers, methodOverride: 'POST' }),
      }),
    ],
  });
}

export type TestClient = ReturnType<typeof createTestClient>;

export interface CollectedRun {
  /** What `compare.start` answered (null when it refused: see `error`). */
  started: TCompareStarted | null;
  events: TCompareEvent[];
  /** The id of each event, in order (what a reconnect sends as `lastEventId`). */
  ids: string[];
  error: TRPCClientError<AppRouter> | null;
  /** Text streamed per model. */
  text: Record<string, string>;
}

type EventAction = 'unsubscribe' | undefined | Promise<undefined>;
type OnEvent = (event: TCompareEvent, collected: CollectedRun) => EventAction;

/**
 * Follow `compare.events` to the run's end and collect every event. `onEvent` may act mid-stream (stop
 * a model, leave by returning 'unsubscribe').
 */
export function collectEvents(
  client: TestClient,
  input: TCompareEventsInput,
  onEvent?: OnEvent,
  collected: CollectedRun = { started: null, events: [], ids: [], error: null, text: {} },
): Promise<CollectedRun> {
  return new Promise((resolve) => {
    const subscription = client.compare.events.subscribe(input, {
      onData({ id, data: event }) {
        collected.events.push(event);
        collected.ids.push(id);
        if (event.type === 'delta')
          collected.text[event.modelId] = (collected.text[event.modelId] ?? '') + event.text;
        const action = onEvent?.(event, collected);
        if (action === 'unsubscribe' || event.type === 'done' || event.type === 'failed') {
          subscription.unsubscribe();
          resolve(collected);
        }
      },
      onError(error) {
        collected.error = error instanceof TRPCClientError ? error : null;
        subscription.unsubscribe();
        resolve(collected);
      },
      onComplete() {
        resolve(collected);
      },
    });
  });
}

/** `compare.start` then `compare.events` to the end, as the web app runs a comparison over HTTP. */
export async function collectRun(
  client: TestClient,
  input: TCompareRunInput,
  onEvent?: OnEvent,
): Promise<CollectedRun> {
  const collected: CollectedRun = { started: null, events: [], ids: [], error: null, text: {} };
  try {
    collected.started = await client.compare.start.mutate(input);
  } catch (error) {
    collected.error = error instanceof TRPCClientError ? error : null;
    if (!collected.error) throw error;
    return collected;
  }
  const { runId, runSecret } = collected.started;
  return collectEvents(client, { runId, ...(runSecret ? { runSecret } : {}) }, onEvent, collected);
}
