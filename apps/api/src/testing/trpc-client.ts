import type { TCompareEvent, TCompareRunInput } from '@compareintel/shared';
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
        false: httpBatchLink({ url, headers }),
      }),
    ],
  });
}

export type TestClient = ReturnType<typeof createTestClient>;

export interface CollectedRun {
  events: TCompareEvent[];
  error: TRPCClientError<AppRouter> | null;
  /** Text streamed per model. */
  text: Record<string, string>;
}

/**
 * Run `compare.run` to its end and collect every event. `onEvent` may act mid-stream (stop a model,
 * close the subscription by returning 'unsubscribe').
 */
export function collectRun(
  client: TestClient,
  input: TCompareRunInput,
  onEvent?: (event: TCompareEvent, collected: CollectedRun) => 'unsubscribe' | undefined | Promise<undefined>,
): Promise<CollectedRun> {
  return new Promise((resolve) => {
    const collected: CollectedRun = { events: [], error: null, text: {} };
    const subscription = client.compare.run.subscribe(input, {
      onData(event) {
        collected.events.push(event);
        if (event.type === 'delta')
          collected.text[event.modelId] = (collected.text[event.modelId] ?? '') + event.text;
        const action = onEvent?.(event, collected);
        if (action === 'unsubscribe') {
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
