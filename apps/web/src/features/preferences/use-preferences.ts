import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';

/** The signed-in user's preferences; undefined for visitors or while loading. */
export function usePreferences() {
  const { user } = useSession();
  return useQuery(trpc.preferences.get.queryOptions(undefined, { enabled: user !== null }));
}
