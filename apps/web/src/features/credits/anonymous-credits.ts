import { useSyncExternalStore } from 'react';

/**
 * A visitor has no balance endpoint: the credits left come with each estimate and each run's `done`.
 * The latest figure is kept here for the header's meter.
 */
let remaining: number | null = null;
const listeners = new Set<() => void>();

export function setAnonymousCreditsRemaining(value: number): void {
  if (value === remaining) return;
  remaining = value;
  for (const listener of listeners) listener();
}

export function useAnonymousCreditsRemaining(): number | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => remaining,
    () => null,
  );
}
