import { type TTheme, ZTheme } from '@compareintel/shared';
import { useSyncExternalStore } from 'react';

/**
 * Theme choice (light / dark / system), applied as `data-theme` on <html>. index.html runs the same
 * resolution inline before first paint, so a reload never flashes the wrong theme; keep the two in step.
 */
export const THEME_STORAGE_KEY = 'compareintel.theme';

const listeners = new Set<() => void>();
const darkQuery = typeof window === 'undefined' ? null : window.matchMedia?.('(prefers-color-scheme: dark)');

function readStoredTheme(): TTheme {
  try {
    const parsed = ZTheme.safeParse(window.localStorage.getItem(THEME_STORAGE_KEY));
    return parsed.success ? parsed.data : 'system';
  } catch {
    return 'system';
  }
}

let choice: TTheme = typeof window === 'undefined' ? 'system' : readStoredTheme();

function resolved(theme: TTheme): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return darkQuery?.matches ? 'dark' : 'light';
}

function paint(): void {
  document.documentElement.dataset.theme = resolved(choice);
  document.documentElement.style.colorScheme = resolved(choice);
}

darkQuery?.addEventListener?.('change', () => {
  if (choice === 'system') paint();
});

export function setTheme(theme: TTheme): void {
  choice = theme;
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private mode without storage: the theme still applies for this visit.
  }
  paint();
  for (const listener of listeners) listener();
}

export function currentTheme(): TTheme {
  return choice;
}

export function useTheme(): TTheme {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => choice,
    () => 'system',
  );
}
