import type { AppRouter } from '@compareintel/api';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { type Connection, configPath, type Env } from './config';
import { CliError, EXIT } from './errors';

/** The API's typed client: calls over HTTP (POST, so a long prompt never goes in a URL), events over SSE. */
export function createApiClient({ apiUrl, token }: Connection) {
  const url = `${apiUrl}/trpc`;
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          // Node's EventSource has no headers option: the bearer token goes through its fetch.
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          }),
        }),
        false: httpLink({ url, headers, methodOverride: 'POST' }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A client for commands that need an account: exit 4 at once when there is no token at all. */
export function signedInClient(connection: Connection, env: Env): ApiClient {
  if (!connection.token) {
    throw new CliError(
      `Not signed in: run \`compareintel login\` (or set COMPAREINTEL_TOKEN); no token in ${configPath(env)}.`,
      EXIT.auth,
    );
  }
  return createApiClient(connection);
}

/**
 * The signed-in user, or exit 4. Public procedures (compare.start among them) treat an unknown token as
 * a visitor's, so a command that must run as the account checks it first.
 */
export async function currentUser(client: ApiClient) {
  const me = await client.auth.me.query();
  if (!me) {
    throw new CliError(
      'Your session has ended (signed out or expired): run `compareintel login`.',
      EXIT.auth,
    );
  }
  return me;
}
