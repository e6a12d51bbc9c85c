import { describe, expect, it } from 'vitest';
import {
  chargeForComparison,
  creditsForAnswer,
  effectiveTokens,
  estimateComparisonCredits,
  expectedOutputTokens,
  guessOutputTokens,
  medianOutputTokens,
  overageChargeUsd,
  splitCharge,
} from './credits';

const haikuPricing = { promptUsdPerToken: 1e-6, completionUsdPerToken: 5e-6 };
const opusPricing = { promptUsdPerToken: 1.5e-5, completionUsdPerToken: 7.5e-5 };
const unpriced = { promptUsdPerToken: null, completionUsdPerToken: null };

describe('effectiveTokens', () => {
  it('weighs output 2.5 × input', () => {
    expect(effectiveTokens(1000, 400)).toBe(2000);
    expect(effectiveTokens(0, 1)).toBe(2.5);
  });
});

describe('creditsForAnswer', () => {
  it('uses the provider-reported cost × 100 first', () => {
    expect(
      creditsForAnswer({ inputTokens: 1000, outputTokens: 400, costUsd: 0.00734, pricing: haikuPricing }),
    ).toBe(0.734);
  });

  it('treats a reported cost of 0 as a real (free) cost', () => {
    expect(
      creditsForAnswer({ inputTokens: 1000, outputTokens: 400, costUsd: 0, pricing: haikuPricing }),
    ).toBe(0);
  });

  it('falls back to list prices × tokens × 100', () => {
    // 1000 × $0.000001 + 400 × $0.000005 = $0.003 → 0.3 credits
    expect(
      creditsForAnswer({ inputTokens: 1000, outputTokens: 400, costUsd: null, pricing: haikuPricing }),
    ).toBe(0.3);
  });

  it('falls back to effective tokens / 1000 without cost or prices', () => {
    expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400 })).toBe(2);
    expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400, pricing: unpriced })).toBe(2);
    expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400, costUsd: Number.NaN })).toBe(2);
  });

  it('rounds away float drift to 6 decimals', () => {
    const credits = creditsForAnswer({ inputTokens: 3, outputTokens: 7, pricing: haikuPricing });
    expect(credits).toBe(0.0038);
  });
});

describe('chargeForComparison', () => {
  it('charges at least 1 credit: three answers of 0.2 → 1', () => {
    expect(chargeForComparison([0.2, 0.2, 0.2].map((credits) => ({ success: true, credits })))).toBe(1);
  });

  it('rounds the sum up to whole credits: 0.734 + 1.5 → 3', () => {
    expect(
      chargeForComparison([
        { success: true, credits: 0.734 },
        { success: true, credits: 1.5 },
      ]),
    ).toBe(3);
  });

  it('charges nothing when every model failed or none answered', () => {
    expect(
      chargeForComparison([
        { success: false, credits: 4 },
        { success: false, credits: 0 },
      ]),
    ).toBe(0);
    expect(chargeForComparison([])).toBe(0);
  });

  it('counts only successful answers', () => {
    expect(
      chargeForComparison([
        { success: true, credits: 2.5 },
        { success: false, credits: 10 },
      ]),
    ).toBe(3);
  });

  it('never charges an extra credit for float drift', () => {
    // 0.2 + 2.2 + 0.6 is 3.0000000000000004 in binary floating point.
    expect(0.2 + 2.2 + 0.6).toBeGreaterThan(3);
    expect(chargeForComparison([0.2, 2.2, 0.6].map((credits) => ({ success: true, credits })))).toBe(3);
  });

  it('charges 1 for a successful comparison that cost nothing', () => {
    expect(chargeForComparison([{ success: true, credits: 0 }])).toBe(1);
  });
});

describe('estimateComparisonCredits', () => {
  it('prices each model at list price for the prompt plus the expected output, charged whole', () => {
    // haiku 0.55 + opus 8.25 + unpriced (500 + 2.5 × 1000) / 1000 = 3 → 11.8 → 12
    const estimate = estimateComparisonCredits({
      promptTokens: 500,
      models: [
        { pricing: haikuPricing, maxCompletionTokens: 64000 },
        { pricing: opusPricing, maxCompletionTokens: 32000 },
        { pricing: unpriced, maxCompletionTokens: null },
      ],
    });
    expect(estimate).toBe(12);
  });

  it('caps the expected output at the model’s max completion tokens', () => {
    const model = {
      pricing: { promptUsdPerToken: 0, completionUsdPerToken: 1e-4 },
      maxCompletionTokens: 3000,
    };
    expect(estimateComparisonCredits({ promptTokens: 0, models: [model], expectedOutputTokens: 5000 })).toBe(
      30,
    );
    expect(
      estimateComparisonCredits({
        promptTokens: 0,
        models: [{ ...model, maxCompletionTokens: null }],
        expectedOutputTokens: 5000,
      }),
    ).toBe(50);
  });

  it('is 0 for no models and at least 1 otherwise', () => {
    expect(estimateComparisonCredits({ promptTokens: 10, models: [] })).toBe(0);
    expect(estimateComparisonCredits({ promptTokens: 10, models: [{ pricing: haikuPricing }] })).toBe(1);
  });
});

describe('expected output tokens', () => {
  it('guesses max(100, min(4000, 1.5 × input)) from the prompt', () => {
    expect(guessOutputTokens(10)).toBe(100);
    expect(guessOutputTokens(1000)).toBe(1500);
    expect(guessOutputTokens(10_000)).toBe(4000);
  });

  it('takes the median of recent answers once there are at least 5', () => {
    expect(medianOutputTokens([10, 20, 30, 40])).toBeNull();
    expect(medianOutputTokens([50, 10, 30, 20, 9000])).toBe(30);
    expect(medianOutputTokens([10, 20, 30, 40, 50, 60])).toBe(35);
  });

  it('prefers the recent median over the guess', () => {
    expect(expectedOutputTokens({ promptTokens: 10, recentMedian: 40 })).toBe(40);
    expect(expectedOutputTokens({ promptTokens: 10, recentMedian: null })).toBe(100);
  });

  it('uses each model’s own expectation when it has one', () => {
    const model = {
      pricing: { promptUsdPerToken: 0, completionUsdPerToken: 1e-4 },
      maxCompletionTokens: 3000,
    };
    // 100 + 2000 tokens (capped at 3000) → 1 + 20 credits
    expect(
      estimateComparisonCredits({
        promptTokens: 0,
        models: [
          { ...model, expectedOutputTokens: 100 },
          { ...model, expectedOutputTokens: 2000 },
          { ...model, expectedOutputTokens: 9000 },
        ],
      }),
    ).toBe(51);
  });
});

describe('overageChargeUsd', () => {
  it('is $0.013 per credit without float noise', () => {
    expect(overageChargeUsd(3)).toBe(0.039);
    expect(overageChargeUsd(100)).toBe(1.3);
    expect(overageChargeUsd(0)).toBe(0);
  });
});

describe('splitCharge', () => {
  it('splits a whole charge by cost, to 4 decimals, adding up exactly', () => {
    const shares = splitCharge(3, [
      { billable: true, credits: 0.2 },
      { billable: true, credits: 2.2 },
      { billable: true, credits: 0.6 },
      { billable: false, credits: 0 },
    ]);
    expect(shares).toEqual([0.2, 2.2, 0.6, 0]);
    const thirds = splitCharge(
      1,
      [0.1, 0.1, 0.1].map((credits) => ({ billable: true, credits })),
    );
    expect(thirds).toEqual([0.3334, 0.3333, 0.3333]);
    expect(thirds.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('spreads the 1-credit minimum evenly when no answer cost anything, and gives failures nothing', () => {
    expect(
      splitCharge(1, [
        { billable: true, credits: 0 },
        { billable: true, credits: 0 },
        { billable: false, credits: 0 },
      ]),
    ).toEqual([0.5, 0.5, 0]);
    expect(splitCharge(0, [{ billable: false, credits: 0 }])).toEqual([0]);
  });
});

describe('which reported costs and prices are usable', () => {
  it('ignores a negative or infinite reported cost and prices by list price instead', () => {
    for (const costUsd of [-0.5, Number.POSITIVE_INFINITY]) {
      expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400, costUsd, pricing: haikuPricing })).toBe(
        0.3,
      );
    }
  });

  it('needs both list prices: with one side unknown or negative it falls back to effective tokens', () => {
    const halfPriced = [
      { promptUsdPerToken: 1e-6, completionUsdPerToken: null },
      { promptUsdPerToken: null, completionUsdPerToken: 5e-6 },
      { promptUsdPerToken: -1e-6, completionUsdPerToken: 5e-6 },
    ];
    for (const pricing of halfPriced) {
      expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400, pricing })).toBe(2);
    }
  });

  it('treats free list prices (0) as real prices', () => {
    const free = { promptUsdPerToken: 0, completionUsdPerToken: 0 };
    expect(creditsForAnswer({ inputTokens: 1000, outputTokens: 400, pricing: free })).toBe(0);
  });
});

describe('estimateComparisonCredits per model', () => {
  it('prices a model on its own prompt tokens when it carries them', () => {
    // 1,000,000 prompt tokens at $1e-6 = 100 credits vs 10 tokens (< 1 credit); no output.
    const pricing = { promptUsdPerToken: 1e-6, completionUsdPerToken: 0 };
    const models = [{ pricing, promptTokens: 1_000_000 }];
    expect(estimateComparisonCredits({ promptTokens: 10, models, expectedOutputTokens: 0 })).toBe(100);
    expect(
      estimateComparisonCredits({
        promptTokens: 1_000_000,
        models: [{ pricing }],
        expectedOutputTokens: 0,
      }),
    ).toBe(100);
  });

  it('expects 1,000 output tokens by default', () => {
    const model = { pricing: { promptUsdPerToken: 0, completionUsdPerToken: 1e-3 } };
    // 1,000 × $0.001 = $1 → 100 credits.
    expect(estimateComparisonCredits({ promptTokens: 0, models: [model] })).toBe(100);
  });
});

describe('overageChargeUsd below zero', () => {
  it('bills nothing for a negative credit count', () => {
    expect(overageChargeUsd(-5)).toBe(0);
  });
});
