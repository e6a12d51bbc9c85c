import { afterEach, describe, expect, it } from 'vitest';
import {
  forgetRunInFlight,
  RUN_IN_FLIGHT_MAX_AGE_MS,
  type RunInFlight,
  readRunInFlight,
  rememberRunInFlight,
} from './run-in-flight';

const run = (overrides: Partial<RunInFlight> = {}): RunInFlight => ({
  runId: '0b7e0c52-3f1f-4c52-9a57-6a3c1f0f7a11',
  runSecret: null,
  conversationId: 12,
  localId: null,
  models: ['a/one', 'b/two'],
  prompt: 'Compare these',
  startedAt: Date.now(),
  ...overrides,
});

describe('the run in flight, kept for this tab', () => {
  afterEach(() => {
    window.sessionStorage.clear();
    window.localStorage.clear();
  });

  it('lives in sessionStorage and reads back whole', () => {
    const entry = run({ runSecret: 'x'.repeat(32), conversationId: null, localId: 'local-1' });
    rememberRunInFlight(entry);
    expect(window.localStorage.length).toBe(0);
    expect(readRunInFlight()).toEqual(entry);
  });

  it('drops an entry older than ten minutes, or one that does not read', () => {
    const startedAt = Date.now();
    rememberRunInFlight(run({ startedAt }));
    expect(readRunInFlight(startedAt + RUN_IN_FLIGHT_MAX_AGE_MS - 1)).not.toBeNull();
    expect(readRunInFlight(startedAt + RUN_IN_FLIGHT_MAX_AGE_MS + 1)).toBeNull();
    expect(readRunInFlight(startedAt)).toBeNull();
    window.sessionStorage.setItem('compareintel.runInFlight', '{"runId":"nope"}');
    expect(readRunInFlight()).toBeNull();
  });

  it('forgets only the run that ended, not a newer one', () => {
    const newer = run({ runId: '5d0c1e62-8c7a-4d1b-9f3e-2a6b7c8d9e0f' });
    rememberRunInFlight(newer);
    forgetRunInFlight(run().runId);
    expect(readRunInFlight()).toEqual(newer);
    forgetRunInFlight(newer.runId);
    expect(readRunInFlight()).toBeNull();
  });
});
