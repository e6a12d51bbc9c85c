import type { UsageLogMonthlyAggregate } from '@compareintel/db';
import {
  AppError,
  type TAnalyticsBucket,
  type TAnalyticsByModel,
  type TAnalyticsModelRow,
  type TAnalyticsRange,
  type TAnalyticsSummary,
  type TAnalyticsSummaryInput,
  type TAnalyticsTotals,
} from '@compareintel/shared';
import { z } from 'zod';
import type { AppConfig } from '../env';
import { missingPermission, type StaffDeps } from './staff-actions';
import {
  aggregatedMonths,
  dayRange,
  EMPTY_TOTALS,
  type MonthKey,
  monthLabel,
  monthsBetween,
  periodExpression,
  rawLogs,
  rawLogsSince,
  round4,
} from './usage-sources';

type AnalyticsDeps = StaffDeps & { config: Pick<AppConfig, 'RETENTION_DAYS'> };

const ZNumeric = z.coerce.number().catch(0);
const ZRawTotals = z.object({
  period: z.string().optional(),
  comparisons: ZNumeric,
  models_requested: ZNumeric,
  models_successful: ZNumeric,
  models_failed: ZNumeric,
  input_tokens: ZNumeric,
  output_tokens: ZNumeric,
  effective_tokens: ZNumeric,
  credits: ZNumeric,
  actual_cost: ZNumeric,
  estimated_cost: ZNumeric,
  active_users: ZNumeric,
  anonymous: ZNumeric,
  searches: ZNumeric,
});
type RawTotals = z.infer<typeof ZRawTotals>;

const TOTAL_COLUMNS = [
  'count(*) as comparisons',
  'coalesce(sum(models_requested), 0) as models_requested',
  'coalesce(sum(models_successful), 0) as models_successful',
  'coalesce(sum(models_failed), 0) as models_failed',
  'coalesce(sum(input_tokens), 0) as input_tokens',
  'coalesce(sum(output_tokens), 0) as output_tokens',
  'coalesce(sum(effective_tokens), 0) as effective_tokens',
  'coalesce(sum(credits_used), 0) as credits',
  'coalesce(sum(actual_cost), 0) as actual_cost',
  'coalesce(sum(estimated_cost), 0) as estimated_cost',
  'count(distinct user_id) as active_users',
  'coalesce(sum(case when user_id is null then 1 else 0 end), 0) as anonymous',
  'coalesce(sum(web.searches), 0) as searches',
].join(', ');

/** The logs with their web searches (`web.searches`, summed per log from usage_log_web_searches). */
function withSearches(db: AnalyticsDeps['db'], logs: ReturnType<typeof rawLogs>) {
  const perLog = db
    .knex('usage_log_web_searches')
    .select('usage_log_id')
    .sum({ searches: 'searches' })
    .groupBy('usage_log_id')
    .as('web');
  return logs.leftJoin(perLog, 'web.usage_log_id', 'usage_logs.id');
}

function totalsOfRaw(row: RawTotals): TAnalyticsTotals {
  return {
    comparisons: row.comparisons,
    modelsRequested: row.models_requested,
    modelsSuccessful: row.models_successful,
    modelsFailed: row.models_failed,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    effectiveTokens: row.effective_tokens,
    credits: round4(row.credits),
    actualCost: round4(row.actual_cost),
    estimatedCost: round4(row.estimated_cost),
    activeUsers: row.active_users,
    anonymousShare: row.comparisons > 0 ? row.anonymous / row.comparisons : null,
    searches: row.searches,
  };
}

function totalsOfAggregate(row: UsageLogMonthlyAggregate): TAnalyticsTotals {
  return {
    ...EMPTY_TOTALS,
    comparisons: row.total_comparisons,
    modelsRequested: row.total_models_requested,
    modelsSuccessful: row.total_models_successful,
    modelsFailed: row.total_models_failed,
    inputTokens: row.total_input_tokens,
    outputTokens: row.total_output_tokens,
    effectiveTokens: row.total_effective_tokens,
    credits: round4(row.total_credits_used),
    actualCost: round4(row.total_actual_cost),
    estimatedCost: round4(row.total_estimated_cost),
  };
}

function emptyRawTotals(): TAnalyticsTotals {
  return { ...EMPTY_TOTALS, activeUsers: 0, searches: 0 };
}

function addTotals(sum: TAnalyticsTotals, next: TAnalyticsTotals): TAnalyticsTotals {
  return {
    comparisons: sum.comparisons + next.comparisons,
    modelsRequested: sum.modelsRequested + next.modelsRequested,
    modelsSuccessful: sum.modelsSuccessful + next.modelsSuccessful,
    modelsFailed: sum.modelsFailed + next.modelsFailed,
    inputTokens: sum.inputTokens + next.inputTokens,
    outputTokens: sum.outputTokens + next.outputTokens,
    effectiveTokens: sum.effectiveTokens + next.effectiveTokens,
    credits: round4(sum.credits + next.credits),
    actualCost: round4(sum.actualCost + next.actualCost),
    estimatedCost: round4(sum.estimatedCost + next.estimatedCost),
    activeUsers: sum.activeUsers,
    anonymousShare: sum.anonymousShare,
    searches:
      sum.searches === null && next.searches === null ? null : (sum.searches ?? 0) + (next.searches ?? 0),
  };
}

function requireAnalytics(deps: AnalyticsDeps): void {
  const refusal = missingPermission(deps.user, 'analytics.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
}

function periodsOf(start: Date, end: Date, granularity: 'day' | 'month', aggregated: ReadonlySet<string>) {
  const periods: Array<{ period: string; source: 'logs' | 'aggregates' }> = [];
  if (granularity === 'month') {
    for (const key of monthsBetween(start, end)) {
      const label = monthLabel(key);
      periods.push({ period: label, source: aggregated.has(label) ? 'aggregates' : 'logs' });
    }
    return periods;
  }
  for (let day = start.getTime(); day < end.getTime(); day += 86_400_000) {
    const label = new Date(day).toISOString().slice(0, 10);
    const month = label.slice(0, 7);
    if (!aggregated.has(month)) periods.push({ period: label, source: 'logs' });
    else if (periods.at(-1)?.period !== month) periods.push({ period: month, source: 'aggregates' });
  }
  return periods;
}

/**
 * Comparisons, model answers, tokens, credits and cost per day or month of [from, to] (UTC days,
 * inclusive), each month from exactly one source (see usage-sources.ts).
 */
export async function summarizeUsage(
  deps: AnalyticsDeps,
  input: TAnalyticsSummaryInput,
): Promise<TAnalyticsSummary> {
  requireAnalytics(deps);
  const { db } = deps;
  const since = rawLogsSince(deps.now(), deps.config.RETENTION_DAYS);
  const { start, end } = dayRange(input);
  const aggregates = await aggregatedMonths(db, start, end, since);
  const excluded: MonthKey[] = aggregates.map((row) => ({ year: row.year, month: row.month }));
  const expression = periodExpression(db, input.granularity);

  const [grouped, overall] = await Promise.all([
    withSearches(db, rawLogs(db, start, end, excluded))
      .select(db.knex.raw(`${expression} as period, ${TOTAL_COLUMNS}`))
      .groupByRaw(expression),
    withSearches(db, rawLogs(db, start, end, excluded)).first(db.knex.raw(TOTAL_COLUMNS)),
  ]);
  const rawByPeriod = new Map<string, TAnalyticsTotals>();
  for (const row of z.array(ZRawTotals).parse(grouped)) {
    if (row.period) rawByPeriod.set(row.period, totalsOfRaw(row));
  }
  const aggregateByMonth = new Map(aggregates.map((row) => [monthLabel(row), totalsOfAggregate(row)]));

  const buckets: TAnalyticsBucket[] = periodsOf(
    start,
    end,
    input.granularity,
    new Set(aggregateByMonth.keys()),
  ).map(({ period, source }) => ({
    period,
    source,
    ...(source === 'aggregates'
      ? (aggregateByMonth.get(period) ?? EMPTY_TOTALS)
      : (rawByPeriod.get(period) ?? emptyRawTotals())),
  }));
  const raw = totalsOfRaw(ZRawTotals.parse(overall ?? {}));
  const totals = [...aggregateByMonth.values()].reduce(addTotals, raw);
  return {
    from: input.from,
    to: input.to,
    granularity: input.granularity,
    rawLogsSince: since.toISOString(),
    totals: {
      ...totals,
      activeUsers: raw.activeUsers,
      anonymousShare: raw.anonymousShare,
      searches: raw.comparisons > 0 ? raw.searches : null,
    },
    buckets,
  };
}

/** `model_breakdown` of an aggregate row: `{ "<model id>": { requested, successful, failed } }`. */
const ZModelBreakdown = z.record(
  z.string(),
  z.object({
    requested: ZNumeric.default(0),
    successful: ZNumeric.default(0),
    failed: ZNumeric.default(0),
    undetermined: ZNumeric.default(0),
  }),
);

const ZRawModelRow = z.object({
  id: ZNumeric,
  models_used: z.union([z.string(), z.array(z.string())]),
  models_successful: ZNumeric,
  models_failed: ZNumeric,
});

function modelIdsOf(value: string | string[]): string[] {
  if (Array.isArray(value)) return value;
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Model answers per model over [from, to], exact from `usage_log_models` where a comparison has them.
 * Older usage logs say how many answers succeeded, not which: when all or none did, each model is
 * counted as such; in a mixed comparison its models are `undetermined`. Aggregated months add their `model_breakdown`.
 */
export async function summarizeUsageByModel(
  deps: AnalyticsDeps,
  input: TAnalyticsRange,
): Promise<TAnalyticsByModel> {
  requireAnalytics(deps);
  const { db } = deps;
  const since = rawLogsSince(deps.now(), deps.config.RETENTION_DAYS);
  const { start, end } = dayRange(input);
  const aggregates = await aggregatedMonths(db, start, end, since);
  const excluded = aggregates.map((row) => ({ year: row.year, month: row.month }));
  const rows = z
    .array(ZRawModelRow)
    .parse(
      await rawLogs(db, start, end, excluded).select(
        'id',
        'models_used',
        'models_successful',
        'models_failed',
      ),
    );
  // Comparisons charged since per-model rows exist say exactly which model failed.
  const perModel = z
    .array(z.object({ usage_log_id: ZNumeric, model_id: z.string(), status: z.string() }))
    .parse(
      await db
        .knex('usage_log_models')
        .whereIn('usage_log_id', rawLogs(db, start, end, excluded).select('id'))
        .select('usage_log_id', 'model_id', 'status'),
    );
  const exact = new Map<number, Array<{ modelId: string; done: boolean }>>();
  for (const row of perModel) {
    const list = exact.get(row.usage_log_id) ?? [];
    list.push({ modelId: row.model_id, done: row.status === 'done' });
    exact.set(row.usage_log_id, list);
  }

  const byModel = new Map<string, TAnalyticsModelRow>();
  const entry = (modelId: string): TAnalyticsModelRow => {
    let row = byModel.get(modelId);
    if (!row) {
      row = { modelId, requested: 0, successful: 0, failed: 0, undetermined: 0 };
      byModel.set(modelId, row);
    }
    return row;
  };
  for (const log of rows) {
    const known = exact.get(log.id);
    if (known) {
      for (const { modelId, done } of known) {
        const row = entry(modelId);
        row.requested += 1;
        if (done) row.successful += 1;
        else row.failed += 1;
      }
      continue;
    }
    for (const modelId of modelIdsOf(log.models_used)) {
      const row = entry(modelId);
      row.requested += 1;
      if (log.models_failed === 0) row.successful += 1;
      else if (log.models_successful === 0) row.failed += 1;
      else row.undetermined += 1;
    }
  }
  for (const aggregate of aggregates) {
    const breakdown = ZModelBreakdown.safeParse(aggregate.model_breakdown ?? {});
    if (!breakdown.success) continue;
    for (const [modelId, counts] of Object.entries(breakdown.data)) {
      const row = entry(modelId);
      row.requested += counts.requested;
      row.successful += counts.successful;
      row.failed += counts.failed;
      row.undetermined += counts.undetermined;
    }
  }
  return {
    from: input.from,
    to: input.to,
    rawLogsSince: since.toISOString(),
    models: [...byModel.values()].sort(
      (a, b) => b.requested - a.requested || a.modelId.localeCompare(b.modelId),
    ),
  };
}
