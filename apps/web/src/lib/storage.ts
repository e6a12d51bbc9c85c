import type { z } from 'zod';

/** localStorage survives the browser; sessionStorage lives as long as this tab (a reload keeps it). */
export type StorageArea = 'local' | 'session';

function area(which: StorageArea): Storage {
  return which === 'session' ? window.sessionStorage : window.localStorage;
}

/** Web storage read through a schema, so stale or hand-edited data falls back instead of crashing. */
export function readStored<T>(
  key: string,
  schema: z.ZodType<T>,
  fallback: T,
  where: StorageArea = 'local',
): T {
  try {
    const raw = area(where).getItem(key);
    if (raw === null) return fallback;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function writeStored(key: string, value: unknown, where: StorageArea = 'local'): void {
  try {
    area(where).setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the app keeps working, only without persistence.
  }
}

export function removeStored(key: string, where: StorageArea = 'local'): void {
  try {
    area(where).removeItem(key);
  } catch {
    // Nothing to do.
  }
}
