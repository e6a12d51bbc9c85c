/**
 * Per-answer figures shown on a card. Tokens per second is the generation rate after the first token:
 * (output tokens − 1) over (total time − time to first token), so a slow start does not hide a fast model.
 */
export interface AnswerMetrics {
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  /** Unrounded credits for this answer (the comparison is charged in whole credits). */
  credits: number | null;
  /** USD the provider reported for this answer; absent or null when it did not (or a mock answered). */
  costUsd?: number | null;
}

export const EMPTY_METRICS: AnswerMetrics = {
  inputTokens: null,
  outputTokens: null,
  ttftMs: null,
  durationMs: null,
  credits: null,
};

export function tokensPerSecond(
  outputTokens: number | null,
  durationMs: number | null,
  ttftMs: number | null,
): number | null {
  if (outputTokens === null || durationMs === null || outputTokens < 2) return null;
  const generationMs = ttftMs !== null && durationMs > ttftMs ? durationMs - ttftMs : durationMs;
  if (generationMs <= 0) return null;
  return (outputTokens - 1) / (generationMs / 1000);
}

/** 56 → "56 ms", 1234 → "1.23 s", 65000 → "65.0 s", null → "—". */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A provider's USD cost: 0.00123 → "$0.0012", 0.0456 → "$0.046", 0.5 → "$0.50", 0 → "$0". */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  return `$${usd
    .toPrecision(2)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')}`;
}

/** Every provider-reported cost among `answers` added up, or null when none reported one. */
export function totalCostUsd(
  answers: Iterable<{ metrics: AnswerMetrics } | null | undefined>,
): number | null {
  let total: number | null = null;
  for (const answer of answers) {
    const cost = answer?.metrics.costUsd;
    if (typeof cost === 'number') total = (total ?? 0) + cost;
  }
  return total === null ? null : Math.round(total * 1e6) / 1e6;
}

/** 181.2 → "181 tok/s", 7.25 → "7.3 tok/s", null → "—". */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)} tok/s`;
}

/**
 * Figures while an answer streams, before the model reports usage: time to first token and elapsed
 * time from the client's clock, output tokens approximated by the text pieces received so far.
 */
export function liveMetrics(
  answer: { startedAt: number; firstTokenAt: number | null; pieces: number; metrics: AnswerMetrics },
  now: number,
): AnswerMetrics {
  if (answer.metrics.durationMs !== null) return answer.metrics;
  return {
    inputTokens: null,
    outputTokens: answer.pieces > 0 ? answer.pieces : null,
    ttftMs: answer.firstTokenAt === null ? null : answer.firstTokenAt - answer.startedAt,
    durationMs: Math.max(0, now - answer.startedAt),
    credits: null,
  };
}
