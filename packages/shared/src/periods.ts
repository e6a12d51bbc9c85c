/**
 * When credit pools reset (PRODUCT.md, Tiers): "Daily pools reset at midnight in the user's timezone
 * (UTC when unset); monthly pools reset at billing_period_end". Uses only Intl, so it runs in browsers.
 */

const DAY_MS = 86_400_000;

const formatterCache = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatterCache.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat | null = null;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    formatter = null;
  }
  formatterCache.set(timeZone, formatter);
  return formatter;
}

/** True for an IANA time zone name this runtime knows (e.g. "America/Chicago", "UTC"). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone.trim() !== '' && formatterFor(timeZone) !== null;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTimeAt(formatter: Intl.DateTimeFormat, instantMs: number): WallTime {
  const wall: WallTime = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(instantMs)) {
    const value = Number(part.value);
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        wall[part.type] = value;
        break;
    }
  }
  return wall;
}

/** Local wall time minus UTC at an instant, in ms (e.g. -5 h for Chicago in summer). */
function offsetAt(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const wall = wallTimeAt(formatter, instantMs);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The next midnight in `timeZone` after `now`, as an instant. Where a DST change skips midnight
 * (e.g. America/Santiago) it is the first instant of the new day; where midnight happens twice, the
 * first one. An empty or unknown zone means UTC.
 */
export function nextDailyReset(now: Date, timeZone: string | null | undefined): Date {
  const formatter = timeZone && isValidTimeZone(timeZone) ? formatterFor(timeZone) : null;
  if (formatter === null) {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 0, 0));
  }
  const today = wallTimeAt(formatter, now.getTime());
  // Tomorrow's local midnight written as if it were UTC; Date.UTC rolls month and year ends over.
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + 1);
  // At most one offset change happens near a midnight, so the offsets a day either side cover it.
  const offsetBefore = offsetAt(formatter, midnightAsUtc - DAY_MS);
  const offsetAfter = offsetAt(formatter, midnightAsUtc + DAY_MS);
  const candidates = [midnightAsUtc - offsetBefore, midnightAsUtc - offsetAfter].filter(
    (instant) => offsetAt(formatter, instant) === midnightAsUtc - instant,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Midnight was skipped: the day starts when the clocks jump, i.e. midnight under the old offset.
  return new Date(midnightAsUtc - offsetBefore);
}

function daysInUtcMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `anchor` plus whole calendar months in UTC, keeping the anchor's day of month where it exists and
 * clamping otherwise (Jan 31 + 1 month = Feb 28/29, + 2 months = Mar 31).
 */
export function addUtcMonths(anchor: Date, months: number): Date {
  const totalMonths = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInUtcMonth(year, monthIndex));
  return new Date(
    Date.UTC(
      year,
      monthIndex,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/**
 * When a monthly pool next resets: `periodEnd` if it is still ahead; otherwise `periodEnd` rolled
 * forward by whole months (counted from `periodEnd`, so the billing day does not drift) until it is
 * after `now`; with no period end yet, one month from `now`.
 */
export function nextMonthlyReset(periodEnd: Date | null, now: Date): Date {
  if (periodEnd === null) return addUtcMonths(now, 1);
  if (periodEnd.getTime() > now.getTime()) return periodEnd;
  const monthsBehind =
    (now.getUTCFullYear() - periodEnd.getUTCFullYear()) * 12 + (now.getUTCMonth() - periodEnd.getUTCMonth());
  let months = Math.max(1, monthsBehind);
  let candidate = addUtcMonths(periodEnd, months);
  while (candidate.getTime() <= now.getTime()) {
    months += 1;
    candidate = addUtcMonths(periodEnd, months);
  }
  return candidate;
}
