import { describe, expect, it } from 'vitest';
import { addUtcMonths, isValidTimeZone, nextDailyReset, nextMonthlyReset } from './periods';

const at = (iso: string) => new Date(iso);

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects the rest', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('   ')).toBe(false);
    expect(isValidTimeZone(null)).toBe(false);
  });
});

describe('nextDailyReset', () => {
  it('is the next local midnight in America/Chicago across the spring DST change', () => {
    // Saturday 21:00 CST → Sunday 00:00 CST (-6), before the 02:00 jump.
    expect(nextDailyReset(at('2026-03-08T03:00:00Z'), 'America/Chicago')).toEqual(at('2026-03-08T06:00:00Z'));
    // Sunday 07:00 CDT → Monday 00:00 CDT (-5): that day is only 23 hours long.
    expect(nextDailyReset(at('2026-03-08T12:00:00Z'), 'America/Chicago')).toEqual(at('2026-03-09T05:00:00Z'));
  });

  it('is the next local midnight in America/Chicago across the autumn DST change', () => {
    expect(nextDailyReset(at('2026-10-31T20:00:00Z'), 'America/Chicago')).toEqual(at('2026-11-01T05:00:00Z'));
    expect(nextDailyReset(at('2026-11-01T12:00:00Z'), 'America/Chicago')).toEqual(at('2026-11-02T06:00:00Z'));
  });

  it('handles the half-hour offset of Asia/Kolkata (+05:30)', () => {
    expect(nextDailyReset(at('2026-01-15T18:00:00Z'), 'Asia/Kolkata')).toEqual(at('2026-01-15T18:30:00Z'));
    expect(nextDailyReset(at('2026-01-15T20:00:00Z'), 'Asia/Kolkata')).toEqual(at('2026-01-16T18:30:00Z'));
  });

  it('moves to the following midnight when now is exactly midnight', () => {
    expect(nextDailyReset(at('2026-01-15T18:30:00Z'), 'Asia/Kolkata')).toEqual(at('2026-01-16T18:30:00Z'));
  });

  it('rolls over month and year ends', () => {
    expect(nextDailyReset(at('2026-12-31T12:00:00Z'), 'America/Chicago')).toEqual(at('2027-01-01T06:00:00Z'));
  });

  it('starts the day when the clocks jump where DST skips midnight (America/Santiago)', () => {
    // Chile moves from -04 to -03 at local midnight on 2026-09-06: 00:00 never happens, 01:00 does.
    expect(nextDailyReset(at('2026-09-05T20:00:00Z'), 'America/Santiago')).toEqual(
      at('2026-09-06T04:00:00Z'),
    );
  });

  it('uses UTC when the zone is unknown or empty', () => {
    const now = at('2026-05-10T23:59:59Z');
    const utcMidnight = at('2026-05-11T00:00:00Z');
    expect(nextDailyReset(now, 'Mars/Olympus_Mons')).toEqual(utcMidnight);
    expect(nextDailyReset(now, '')).toEqual(utcMidnight);
    expect(nextDailyReset(now, null)).toEqual(utcMidnight);
    expect(nextDailyReset(now, 'UTC')).toEqual(utcMidnight);
  });
});

describe('nextMonthlyReset', () => {
  it('keeps a period end that is still ahead', () => {
    const end = at('2026-04-15T10:00:00Z');
    expect(nextMonthlyReset(end, at('2026-04-01T00:00:00Z'))).toEqual(end);
  });

  it('rolls a past period end forward by whole months until after now', () => {
    expect(nextMonthlyReset(at('2026-01-15T10:00:00Z'), at('2026-04-20T00:00:00Z'))).toEqual(
      at('2026-05-15T10:00:00Z'),
    );
    expect(nextMonthlyReset(at('2026-01-15T10:00:00Z'), at('2026-04-15T09:00:00Z'))).toEqual(
      at('2026-04-15T10:00:00Z'),
    );
    // Exactly at the end: the pool resets now, so the next reset is a month later.
    expect(nextMonthlyReset(at('2026-01-15T10:00:00Z'), at('2026-01-15T10:00:00Z'))).toEqual(
      at('2026-02-15T10:00:00Z'),
    );
  });

  it('keeps the billing day from drifting after short months', () => {
    expect(nextMonthlyReset(at('2026-01-31T00:00:00Z'), at('2026-02-10T00:00:00Z'))).toEqual(
      at('2026-02-28T00:00:00Z'),
    );
    expect(nextMonthlyReset(at('2026-01-31T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toEqual(
      at('2026-03-31T00:00:00Z'),
    );
  });

  it('is one month from now without a period end', () => {
    expect(nextMonthlyReset(null, at('2026-06-10T08:00:00Z'))).toEqual(at('2026-07-10T08:00:00Z'));
  });
});

describe('addUtcMonths', () => {
  it('clamps to the last day of shorter months and crosses years', () => {
    expect(addUtcMonths(at('2024-01-31T00:00:00Z'), 1)).toEqual(at('2024-02-29T00:00:00Z'));
    expect(addUtcMonths(at('2026-11-30T00:00:00Z'), 3)).toEqual(at('2027-02-28T00:00:00Z'));
  });
});
