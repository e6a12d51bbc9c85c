import type { TCompareEvent } from '@compareintel/shared';
import type { ApiClient } from '../client';
import { CliError, EXIT } from '../errors';

/** How long the CLI keeps reconnecting to a run's events before it gives up (the run goes on server-side). */
const GIVE_UP_RECONNECTING_MS = 30_000;

/**
 * Follow `compare.events` until `done` (or `failed`), handing each event to `onEvent`. The link
 * reconnects by itself with the last event id after a network blip; a stream that stays down is an error.
 */
export function followRun(
  client: ApiClient,
  apiUrl: string,
  runId: string,
  onEvent: (event: TCompareEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let reconnecting: NodeJS.Timeout | null = null;
    const settle = (error?: unknown) => {
      if (reconnecting) clearTimeout(reconnecting);
      subscription.unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const subscription = client.compare.events.subscribe(
      { runId },
      {
        onData({ data: event }) {
          onEvent(event);
          if (event.type === 'done' || event.type === 'failed') settle();
        },
        onError: (error) => settle(error),
        onConnectionStateChange(state) {
          if (state.state === 'pending' && reconnecting) {
            clearTimeout(reconnecting);
            reconnecting = null;
          }
          if (state.state === 'connecting' && state.error && !reconnecting) {
            const reason = state.error.message;
            reconnecting = setTimeout(
              () =>
                settle(
                  new CliError(
                    `Lost the connection to the API at ${apiUrl} (${reason}); the run goes on and is saved there.`,
                    EXIT.failed,
                  ),
                ),
              GIVE_UP_RECONNECTING_MS,
            );
          }
        },
      },
    );
  });
}
