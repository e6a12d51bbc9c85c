import { useQuery } from '@tanstack/react-query';
import { browserTimeZone } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';

/** The signed-in user's preferences; undefined for visitors or while loading. */
export function usePreferences() {
  const { user } = useSession();
  return useQuery(trpc.preferences.get.queryOptions(undefined, { enabled: user !== null }));
}

/**
 * The zone every time on screen is shown in: the signed-in user's chosen zone (Settings → Time zone),
 * else the browser's. Format with it: `formatDateTime(iso, useTimeZone())`.
 */
export function useTimeZone(): string | undefined {
  const preferences = usePreferences();
  return preferences.data?.timezone ?? browserTimeZone();
}
