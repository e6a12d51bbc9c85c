import type { TAnalyticsBucket, TAnalyticsModelRow } from '@compareintel/shared';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

// Colours come from the theme's custom properties, so the charts follow light and dark mode.
const AXIS = { stroke: 'var(--text-faint)', fontSize: 12 };
const TOOLTIP = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--text)',
  },
};

/** Comparisons and credits over time, and failed answers per model (the ten most requested). */
export default function UsageCharts({
  buckets,
  models,
}: {
  buckets: readonly TAnalyticsBucket[];
  models: readonly TAnalyticsModelRow[];
}) {
  const series = buckets.map((bucket) => ({
    period: bucket.period,
    comparisons: bucket.comparisons,
    credits: Math.round(bucket.credits * 100) / 100,
  }));
  const perModel = models.slice(0, 10).map((row) => ({
    model: row.modelId.split('/').at(-1) ?? row.modelId,
    failed: row.failed,
    successful: row.successful,
  }));
  return (
    <div className="admin-charts">
      <figure className="admin-chart" aria-label="Comparisons and credits per period">
        <figcaption>Comparisons and credits</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="period" tick={AXIS} stroke="var(--border-strong)" minTickGap={16} />
            <YAxis yAxisId="left" tick={AXIS} stroke="var(--border-strong)" allowDecimals={false} />
            <YAxis yAxisId="right" orientation="right" tick={AXIS} stroke="var(--border-strong)" />
            <Tooltip {...TOOLTIP} />
            <Legend />
            <Line
              yAxisId="left"
              type="monotone"
              dataKey="comparisons"
              name="Comparisons"
              stroke="var(--accent)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="right"
              type="monotone"
              dataKey="credits"
              name="Credits"
              stroke="var(--success)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="admin-chart" aria-label="Answers per model">
        <figcaption>Failures per model</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={perModel} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="model"
              tick={AXIS}
              stroke="var(--border-strong)"
              interval={0}
              angle={-20}
              height={50}
              textAnchor="end"
            />
            <YAxis tick={AXIS} stroke="var(--border-strong)" allowDecimals={false} />
            <Tooltip {...TOOLTIP} />
            <Legend />
            <Bar
              dataKey="failed"
              name="Failed"
              stackId="answers"
              fill="var(--danger)"
              isAnimationActive={false}
            />
            <Bar
              dataKey="successful"
              name="OK"
              stackId="answers"
              fill="var(--accent)"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
