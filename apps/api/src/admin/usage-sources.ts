import type { Db } from '@compareintel/db';
import type { TAnalyticsTotals } from '@compareintel/shared';
import type { Knex } from 'knex';

/**
 * Where analytics read each month from (issue 10's rule, written once here):
 *
 * - The retention job (a later issue) rolls `usage_logs` older than RETENTION_DAYS into one
 *   `usage_log_monthly_aggregates` row per month and deletes those rows. It must only roll up **whole
 *   months entirely older than the window**, i.e. months that end on or before `rawLogsSince` below.
 * - `rawLogsSince` = the first instant (UTC) of the month that contains `now − RETENTION_DAYS`.
 * - A month that ends on or before `rawLogsSince` and has an aggregate row is read from that row only;
 *   any `usage_logs` rows still present for it are ignored (they are what the row already counts).
 * - Every other month (a newer one, or an old one whose aggregate does not exist yet) is read from
 *   `usage_logs` only, and an aggregate row for a month newer than the window is ignored.
 * So each month comes from exactly one source and nothing is counted twice. Aggregates have no days:
 * at day granularity an aggregated month is one bucket (`YYYY-MM`), and a range that starts or ends
 * inside an aggregated month counts that month whole.
 */

const DAY_MS = 86_400_000;

export interface MonthKey {
  year: number;
  month: number;
}

export function monthLabel({ year, month }: MonthKey): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function rawLogsSince(now: Date, retentionDays: number): Date {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  return new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), 1));
}

export function monthStart({ year, month }: MonthKey): Date {
  return new Date(Date.UTC(year, month - 1, 1));
}

export function monthEnd({ year, month }: MonthKey): Date {
  return new Date(Date.UTC(year, month, 1));
}

/** Inclusive UTC days as [start, end). */
export function dayRange(range: { from: string; to: string }): { start: Date; end: Date } {
  const start = new Date(`${range.from}T00:00:00Z`);
  return { start, end: new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS) };
}

export function monthsBetween(start: Date, end: Date): MonthKey[] {
  const months: MonthKey[] = [];
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  while (monthStart({ year, month }) < end) {
    months.push({ year, month });
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** The aggregate rows that stand for their months in [start, end): only months older than the window. */
export async function aggregatedMonths(db: Db, start: Date, end: Date, since: Date) {
  const months = monthsBetween(start, end).filter((key) => monthEnd(key) <= since);
  if (months.length === 0) return [];
  const rows = await db.models.UsageLogMonthlyAggregate.query().where((q) => {
    for (const key of months) q.orWhere({ year: key.year, month: key.month });
  });
  return rows.sort((a, b) => a.year - b.year || a.month - b.month);
}

/** `usage_logs` in [start, end), minus the months that aggregates stand for. */
export function rawLogs(db: Db, start: Date, end: Date, excluded: readonly MonthKey[]): Knex.QueryBuilder {
  const query = db.knex('usage_logs').where('created_at', '>=', start).andWhere('created_at', '<', end);
  for (const key of excluded) {
    query.whereNot((q) =>
      q.where('created_at', '>=', monthStart(key)).andWhere('created_at', '<', monthEnd(key)),
    );
  }
  return query;
}

/** SQL for a row's UTC day (`YYYY-MM-DD`) or month (`YYYY-MM`). SQLite stores ISO-8601 UTC text. */
export function periodExpression(db: Db, granularity: 'day' | 'month'): string {
  if (db.dialect === 'pg') {
    return `to_char(created_at at time zone 'UTC', '${granularity === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}')`;
  }
  return `substr(created_at, 1, ${granularity === 'day' ? 10 : 7})`;
}

export const EMPTY_TOTALS: TAnalyticsTotals = {
  comparisons: 0,
  modelsRequested: 0,
  modelsSuccessful: 0,
  modelsFailed: 0,
  inputTokens: 0,
  outputTokens: 0,
  effectiveTokens: 0,
  credits: 0,
  actualCost: 0,
  estimatedCost: 0,
  activeUsers: null,
  anonymousShare: null,
  searches: null,
};

/** Sums in SQL are floating point on SQLite: money and credits are kept to the columns' 4 decimals. */
export function round4(value: number): number {
  return Number(value.toFixed(4));
}
