import type { TPublicUser } from '@compareintel/shared';
import { useQuery } from '@tanstack/react-query';
import { queryClient, trpc } from '../../lib/trpc';

/** The signed-in user (null for a visitor). Every screen reads the session through this one query. */
export function useSession(): { user: TPublicUser | null; isPending: boolean } {
  const me = useQuery(trpc.auth.me.queryOptions());
  return { user: me.data ?? null, isPending: me.isPending };
}

/** After sign-in, sign-out or verification every answer may differ (models, limits, history): refetch. */
export async function refreshAfterAuthChange(): Promise<void> {
  await queryClient.resetQueries();
}

/** After a run: the pool, the history and the meter changed. */
export function refreshAfterRun(): void {
  void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  void queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() });
  void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
}
