/** Display formatting shared by several features. Pure; rules and numbers come from the API or shared. */

const integer = new Intl.NumberFormat('en-US');
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatInteger(value: number): string {
  return integer.format(Math.round(value));
}

/** Credits with at most two decimals, e.g. 0.286 → "0.29", 12 → "12". */
export function formatCredits(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 0.01) return '<0.01';
  return twoDecimals.format(value);
}

/** A per-token USD price as USD per million tokens: 0.000003 → "$3.00"; null → "—". */
export function formatPricePerMillion(usdPerToken: number | null): string {
  if (usdPerToken === null) return '—';
  if (usdPerToken === 0) return 'Free';
  const perMillion = usdPerToken * 1_000_000;
  const digits = perMillion < 0.1 ? 3 : 2;
  return `$${perMillion.toFixed(digits)}`;
}

/** Context window in tokens: 200000 → "200K", 1048576 → "1M", null → "—". */
export function formatContext(tokens: number | null): string {
  if (tokens === null) return '—';
  if (tokens >= 1_000_000) {
    const millions = tokens / 1_000_000;
    return `${Number.isInteger(Math.round(millions * 10) / 10) ? Math.round(millions) : millions.toFixed(1)}M`;
  }
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`;
  return String(tokens);
}

/**
 * "just now", "5 min ago", "3 h ago", "yesterday", then a short date in `timeZone` (the user's chosen
 * zone; the browser's when undefined).
 */
export function formatRelativeDate(iso: string, now: Date = new Date(), timeZone?: string): string {
  const then = new Date(iso);
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return then.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone });
}

/**
 * A moment as "Dec 3, 1:00 AM" in `timeZone` (the user's chosen zone; the browser's when undefined).
 * `withZone` adds the zone's short name ("Dec 3, 12:00 AM GMT+1"), for times whose zone matters, such
 * as when credits refill.
 */
export function formatDateTime(iso: string, timeZone?: string, withZone = false): string {
  return new Date(iso).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    ...(withZone ? { timeZoneName: 'short' } : {}),
  });
}

/** The browser's own IANA zone (undefined where Intl cannot say). */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
