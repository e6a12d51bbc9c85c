import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelativeDate } from './format';

describe('times in the chosen zone', () => {
  const utcMidnight = '2026-12-03T00:00:00.000Z';

  it('shows a moment in the zone it is given, not the browser’s', () => {
    expect(formatDateTime(utcMidnight, 'UTC')).toBe('Dec 3, 12:00 AM');
    expect(formatDateTime(utcMidnight, 'Europe/Berlin')).toBe('Dec 3, 1:00 AM');
    expect(formatDateTime(utcMidnight, 'America/New_York')).toBe('Dec 2, 7:00 PM');
  });

  it('names the zone where it matters (when credits refill)', () => {
    expect(formatDateTime('2026-12-02T23:00:00.000Z', 'Europe/Berlin', true)).toBe('Dec 3, 12:00 AM GMT+1');
    expect(formatDateTime(utcMidnight, 'UTC', true)).toBe('Dec 3, 12:00 AM UTC');
  });

  it('gives older dates in the zone too; recent ones relative', () => {
    const now = new Date('2026-12-20T12:00:00.000Z');
    expect(formatRelativeDate('2026-12-20T11:30:00.000Z', now, 'Asia/Tokyo')).toBe('30 min ago');
    expect(formatRelativeDate('2026-12-02T23:30:00.000Z', now, 'UTC')).toBe('Dec 2, 2026');
    expect(formatRelativeDate('2026-12-02T23:30:00.000Z', now, 'Asia/Tokyo')).toBe('Dec 3, 2026');
  });
});
