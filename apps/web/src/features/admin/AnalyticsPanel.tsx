import type { TAnalyticsTotals } from '@compareintel/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Callout } from '../../components/Callout';
import { PageLoading } from '../../components/Spinner';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { SegmentedChoice } from './SegmentedChoice';

// The charting library is only fetched when the analytics tab is opened.
const UsageCharts = lazy(() => import('./UsageCharts'));

const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '12 months' },
] as const;

const GRANULARITIES = [
  { value: 'day', label: 'Per day' },
  { value: 'month', label: 'Per month' },
] as const;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysAgo(days: number): string {
  return isoDay(new Date(Date.now() - (days - 1) * 86_400_000));
}

function usd(value: number): string {
  return value.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10} %`;
}

/** The period's totals; figures the monthly aggregates do not keep are a dash. */
export function AnalyticsFigures({ totals }: { totals: TAnalyticsTotals }) {
  const figures: Array<[string, string]> = [
    ['Comparisons', formatInteger(totals.comparisons)],
    ['Credits', formatInteger(Math.round(totals.credits))],
    ['Failed answers', `${formatInteger(totals.modelsFailed)} of ${formatInteger(totals.modelsRequested)}`],
    ['Actual cost', usd(totals.actualCost)],
    ['Active users', totals.activeUsers === null ? '—' : formatInteger(totals.activeUsers)],
    ['Anonymous share', percent(totals.anonymousShare)],
    ['Searches', totals.searches === null ? '—' : formatInteger(totals.searches)],
  ];
  return (
    <dl className="admin-figures">
      {figures.map(([label, value]) => (
        <div key={label} className="admin-figure">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Analytics: figures, charts (comparisons and credits over time, failures per model) and the same as tables. */
export function AnalyticsPanel() {
  const [days, setDays] = useState<number>(30);
  const [granularity, setGranularity] = useState<'day' | 'month'>('day');
  const range = { from: daysAgo(days), to: isoDay(new Date()) };
  const summary = useQuery({
    ...trpc.admin.analytics.summary.queryOptions({ ...range, granularity }),
    placeholderData: keepPreviousData,
  });
  const byModel = useQuery({
    ...trpc.admin.analytics.byModel.queryOptions(range),
    placeholderData: keepPreviousData,
  });
  const error = summary.error ?? byModel.error;
  return (
    <section className="admin-section" aria-label="Analytics">
      <div className="admin-filters">
        <SegmentedChoice
          name="analytics-period"
          label="Period"
          options={PRESETS.map((preset) => ({ value: String(preset.days), label: preset.label }))}
          value={String(days)}
          onChange={(value) => {
            const chosen = Number(value);
            setDays(chosen);
            setGranularity(chosen > 90 ? 'month' : 'day');
          }}
        />
        <SegmentedChoice<'day' | 'month'>
          name="analytics-granularity"
          label="Group by"
          options={GRANULARITIES}
          value={granularity}
          onChange={setGranularity}
        />
      </div>
      {error ? <Callout tone="error" title={errorMessage(error)} /> : null}
      {summary.data && byModel.data ? (
        <>
          <AnalyticsFigures totals={summary.data.totals} />
          <Suspense fallback={<PageLoading label="Drawing charts…" />}>
            <UsageCharts buckets={summary.data.buckets} models={byModel.data.models} />
          </Suspense>
          <p className="muted admin-note">
            Months before {summary.data.rawLogsSince.slice(0, 7)} come from monthly aggregates when those
            exist (whole months, no users per month); later months from the usage log.
          </p>
          <h3 className="drawer-subtitle">Per {granularity}</h3>
          <div className="table-wrap">
            <table className="table" data-testid="analytics-table">
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col" className="num">
                    Comparisons
                  </th>
                  <th scope="col" className="num">
                    Answers OK / failed
                  </th>
                  <th scope="col" className="num">
                    Tokens in / out
                  </th>
                  <th scope="col" className="num">
                    Effective tokens
                  </th>
                  <th scope="col" className="num">
                    Credits
                  </th>
                  <th scope="col" className="num">
                    Cost actual / estimated
                  </th>
                  <th scope="col" className="num">
                    Users
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.data.buckets.map((bucket) => (
                  <tr key={bucket.period}>
                    <td>
                      {bucket.period}
                      {bucket.source === 'aggregates' ? (
                        <span className="muted"> (monthly total)</span>
                      ) : null}
                    </td>
                    <td className="num">{formatInteger(bucket.comparisons)}</td>
                    <td className="num">
                      {formatInteger(bucket.modelsSuccessful)} / {formatInteger(bucket.modelsFailed)}
                    </td>
                    <td className="num">
                      {formatInteger(bucket.inputTokens)} / {formatInteger(bucket.outputTokens)}
                    </td>
                    <td className="num">{formatInteger(bucket.effectiveTokens)}</td>
                    <td className="num">{bucket.credits}</td>
                    <td className="num">
                      {usd(bucket.actualCost)} / {usd(bucket.estimatedCost)}
                    </td>
                    <td className="num">{bucket.activeUsers ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 className="drawer-subtitle">Per model</h3>
          <div className="table-wrap">
            <table className="table" data-testid="analytics-models-table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Requested
                  </th>
                  <th scope="col" className="num">
                    OK
                  </th>
                  <th scope="col" className="num">
                    Failed
                  </th>
                  <th scope="col" className="num">
                    Mixed runs
                  </th>
                </tr>
              </thead>
              <tbody>
                {byModel.data.models.map((row) => (
                  <tr key={row.modelId}>
                    <td>{row.modelId}</td>
                    <td className="num">{formatInteger(row.requested)}</td>
                    <td className="num">{formatInteger(row.successful)}</td>
                    <td className="num">{formatInteger(row.failed)}</td>
                    <td className="num">{formatInteger(row.undetermined)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : summary.isPending ? (
        <p className="muted">Loading analytics…</p>
      ) : null}
    </section>
  );
}
