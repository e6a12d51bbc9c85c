import { ZRunSecret } from '@compareintel/shared';
import { z } from 'zod';
import { readStored, removeStored, writeStored } from '../../lib/storage';

/**
 * The comparison this tab is running, kept in sessionStorage while it runs: after a reload the page
 * follows it again (the API keeps its event log) instead of losing the answers that are still coming.
 */
const STORAGE_KEY = 'compareintel.runInFlight';
/** Older than this, a run has long ended (a model may take 2 minutes) and its log is gone. */
export const RUN_IN_FLIGHT_MAX_AGE_MS = 10 * 60_000;

export const ZRunInFlight = z.object({
  runId: z.uuid(),
  /** Visitors only: their proof that the run is theirs. */
  runSecret: ZRunSecret.nullable(),
  /** Where the run's turn is kept: the saved conversation (signed in) or this browser's (visitor). */
  conversationId: z.number().int().positive().nullable(),
  localId: z.string().nullable(),
  models: z.array(z.string()).min(1),
  prompt: z.string(),
  /** Epoch milliseconds, when the API admitted the run. */
  startedAt: z.number(),
});
export type RunInFlight = z.infer<typeof ZRunInFlight>;

export function rememberRunInFlight(run: RunInFlight): void {
  writeStored(STORAGE_KEY, run, 'session');
}

/** The run still worth following, if any; a stale entry is dropped. */
export function readRunInFlight(now = Date.now()): RunInFlight | null {
  const run = readStored(STORAGE_KEY, ZRunInFlight.nullable(), null, 'session');
  if (run && now - run.startedAt > RUN_IN_FLIGHT_MAX_AGE_MS) {
    removeStored(STORAGE_KEY, 'session');
    return null;
  }
  return run;
}

/** Forget a run that ended, unless a newer one has taken its place. */
export function forgetRunInFlight(runId: string): void {
  const run = readStored(STORAGE_KEY, ZRunInFlight.nullable(), null, 'session');
  if (run === null || run.runId === runId) removeStored(STORAGE_KEY, 'session');
}
