import type { TTheme } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { currentTheme, setTheme, useTheme } from '../../lib/theme';
import { queryClient, trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { usePreferences } from './use-preferences';

/** Follow the signed-in user's saved theme when it loads (another device may have changed it). */
export function useSavedThemeSync(): void {
  const preferences = usePreferences();
  const saved = preferences.data?.theme;
  useEffect(() => {
    if (saved && saved !== currentTheme()) setTheme(saved);
  }, [saved]);
}

/** The theme and a setter that applies it at once, stores it in this browser and, for users, saves it. */
export function useThemeChoice(): [TTheme, (theme: TTheme) => void] {
  const theme = useTheme();
  const { user } = useSession();
  const save = useMutation(
    trpc.preferences.update.mutationOptions({
      onSuccess: (preferences) => queryClient.setQueryData(trpc.preferences.get.queryKey(), preferences),
    }),
  );
  const choose = useCallback(
    (next: TTheme) => {
      setTheme(next);
      if (user) save.mutate({ theme: next });
    },
    [user, save],
  );
  return [theme, choose];
}
