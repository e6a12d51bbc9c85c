import { SEARCH_CREDITS_PER_CALL } from '@compareintel/shared';
import { formatCredits, formatInteger } from '../../lib/format';
import { type AnswerMetrics, formatMs, formatRate, formatUsd, tokensPerSecond } from './metrics';

function Metric({ label, value, title }: { label: string; value: string; title: string }) {
  return (
    <div className="metric" title={title}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The figures under a card: time to first token, speed, tokens in/out, credits (with the provider's USD
 * cost when it reported one), web searches when it made any, and total time.
 */
export function CardMetrics({
  metrics,
  live,
  searches = 0,
}: {
  metrics: AnswerMetrics | null;
  live: boolean;
  searches?: number;
}) {
  const m = metrics;
  const rate = m ? tokensPerSecond(m.outputTokens, m.durationMs, m.ttftMs) : null;
  const approx = live ? '~' : '';
  return (
    <dl className="card-metrics" aria-label="Answer metrics">
      <Metric label="TTFT" value={formatMs(m?.ttftMs ?? null)} title="Time to first token" />
      <Metric
        label="Speed"
        value={rate === null ? '—' : `${approx}${formatRate(rate)}`}
        title="Output tokens per second"
      />
      <Metric
        label="Tokens"
        value={`${m?.inputTokens == null ? '—' : formatInteger(m.inputTokens)} / ${
          m?.outputTokens == null ? '—' : `${approx}${formatInteger(m.outputTokens)}`
        }`}
        title="Tokens in / out"
      />
      <Metric
        label="Credits"
        value={m?.credits == null ? '—' : formatCredits(m.credits)}
        title="Credits for this answer"
      />
      {m?.costUsd != null ? (
        <Metric
          label="Cost"
          value={formatUsd(m.costUsd)}
          title="What the provider charged for this answer (USD)"
        />
      ) : null}
      {searches > 0 ? (
        <Metric
          label="Web"
          value={`${formatInteger(searches)} search${searches === 1 ? '' : 'es'}`}
          title={`Web searches for this answer (${formatCredits(SEARCH_CREDITS_PER_CALL)} credits each, in its credits)`}
        />
      ) : null}
      <Metric label="Time" value={formatMs(m?.durationMs ?? null)} title="Total time" />
    </dl>
  );
}
