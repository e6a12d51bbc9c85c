import type { AppRouter } from '@compareintel/api';
import { MAX_BATCH_CALLS } from '@compareintel/shared';
import { QueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
} from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';

/** Created once for the whole app: the query cache, the typed client and the options proxy. */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
});

const url = '/trpc';

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url }),
      // Mutations may set cookies, which a streamed response cannot: they go through the plain batch link.
      false: splitLink({
        condition: (op) => op.type === 'mutation',
        // The API refuses bigger batches; the links split longer ones into several requests.
        true: httpBatchLink({ url, maxItems: MAX_BATCH_CALLS }),
        // Queries go as POST: an estimate carries the whole prompt (up to 100,000 characters), which no
        // URL should hold (servers and proxies cap them, and logs keep them).
        false: httpBatchStreamLink({ url, maxItems: MAX_BATCH_CALLS, methodOverride: 'POST' }),
      }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
