import { describe, expect, it } from 'vitest';
import {
  EMPTY_METRICS,
  formatMs,
  formatRate,
  formatUsd,
  liveMetrics,
  tokensPerSecond,
  totalCostUsd,
} from './metrics';

describe('provider costs in USD', () => {
  it('formats small costs with two significant digits', () => {
    expect(formatUsd(0.00123)).toBe('$0.0012');
    expect(formatUsd(0.0456)).toBe('$0.046');
    expect(formatUsd(0.004)).toBe('$0.004');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
  });

  it('adds up the answers that reported a cost, and is null when none did', () => {
    const withCost = (costUsd: number | null | undefined) => ({ metrics: { ...EMPTY_METRICS, costUsd } });
    expect(totalCostUsd([withCost(0.001), withCost(null), withCost(0.002), null])).toBe(0.003);
    expect(totalCostUsd([withCost(null), withCost(undefined), null])).toBeNull();
  });
});

describe('tokensPerSecond', () => {
  it('measures the generation rate after the first token', () => {
    // 112 tokens, first after 56 ms, last at 669 ms: 111 more tokens in 613 ms.
    expect(tokensPerSecond(112, 669, 56)).toBeCloseTo(181.08, 2);
  });

  it('uses the whole duration when the first-token time is unknown', () => {
    expect(tokensPerSecond(101, 2000, null)).toBe(50);
  });

  it('has no rate for fewer than two tokens or no time', () => {
    expect(tokensPerSecond(1, 500, 100)).toBeNull();
    expect(tokensPerSecond(null, 500, 100)).toBeNull();
    expect(tokensPerSecond(10, 0, null)).toBeNull();
  });
});

describe('formatting', () => {
  it('formats time to first token and durations', () => {
    expect(formatMs(56)).toBe('56 ms');
    expect(formatMs(999.6)).toBe('1000 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(65_000)).toBe('65.0 s');
    expect(formatMs(null)).toBe('—');
  });

  it('formats speeds', () => {
    expect(formatRate(181.07)).toBe('181 tok/s');
    expect(formatRate(7.25)).toBe('7.3 tok/s');
    expect(formatRate(null)).toBe('—');
  });
});

describe('liveMetrics', () => {
  it('derives TTFT and elapsed time from the client clock while streaming', () => {
    const live = liveMetrics(
      { startedAt: 1000, firstTokenAt: 1250, pieces: 40, metrics: EMPTY_METRICS },
      3000,
    );
    expect(live).toEqual({
      inputTokens: null,
      outputTokens: 40,
      ttftMs: 250,
      durationMs: 2000,
      credits: null,
    });
  });

  it('switches to the reported figures once the model is done', () => {
    const reported = { inputTokens: 6, outputTokens: 112, ttftMs: 56, durationMs: 669, credits: 0.29 };
    expect(liveMetrics({ startedAt: 0, firstTokenAt: 10, pieces: 100, metrics: reported }, 5000)).toBe(
      reported,
    );
  });
});
