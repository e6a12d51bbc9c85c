/**
 * The credit rules of PRODUCT.md (section "Credits") as pure functions. Credits per answer are kept
 * as unrounded decimals; only a whole comparison is charged in whole credits.
 */
import { OVERAGE_USD_PER_CREDIT } from './tiers';

/** One USD of provider cost is 100 credits. */
export const CREDITS_PER_USD = 100;
/** Output tokens weigh 2.5 × input tokens when no price is known. */
export const OUTPUT_TOKEN_WEIGHT = 2.5;
/** Effective tokens per credit in the token fallback. */
export const EFFECTIVE_TOKENS_PER_CREDIT = 1000;
/** Output a model is assumed to write when estimating a comparison before it runs (nothing better known). */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 1000;
/** Bounds of the prompt-based guess of an answer's length (see `guessOutputTokens`). */
export const MIN_GUESSED_OUTPUT_TOKENS = 100;
export const MAX_GUESSED_OUTPUT_TOKENS = 4000;
/** Finished answers a model needs before its recent median output is trusted over the guess. */
export const MIN_OUTPUT_SAMPLES = 5;

/**
 * Web search (PRODUCT.md, Web search): each `web_search` call an answer makes costs 0.5 credits ($0.005,
 * what Brave and Tavily charge per query), added to that answer's credits; `fetch_url` costs nothing
 * itself (the page's text reaches the model as input tokens, which are paid as such). An answer makes at
 * most `MAX_SEARCHES_PER_ANSWER` searches in at most `MAX_TOOL_ROUNDS` rounds of tool calls, so admission
 * estimates and holds every searching model's searches at that maximum, plus
 * `SEARCH_ROUND_INPUT_TOKENS` of tool results per round.
 */
export const SEARCH_CREDITS_PER_CALL = 0.5;
export const MAX_SEARCHES_PER_ANSWER = 4;
export const MAX_TOOL_ROUNDS = 3;
export const SEARCH_ROUND_INPUT_TOKENS = 2000;

/** Credits an answer's web searches cost. */
export function searchCredits(searches: number): number {
  return roundCredits(Math.max(0, Math.floor(searches)) * SEARCH_CREDITS_PER_CALL);
}

/**
 * What a model that may search adds to an admission estimate (and so to the hold): its most searches,
 * and the tool results it may read back — each round sends the thread again with up to
 * `SEARCH_ROUND_INPUT_TOKENS` more, so its input is counted once per round plus the results.
 */
export function webSearchEstimate(promptTokens: number): { promptTokens: number; extraCredits: number } {
  return {
    promptTokens: promptTokens * (MAX_TOOL_ROUNDS + 1) + SEARCH_ROUND_INPUT_TOKENS * MAX_TOOL_ROUNDS,
    extraCredits: searchCredits(MAX_SEARCHES_PER_ANSWER),
  };
}

/** Rounds away binary float noise (0.1 + 0.2, 0.00734 × 100) without losing real precision. */
export function roundCredits(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Per-token list prices in USD; either side null means "price unknown". */
export interface TokenPricing {
  promptUsdPerToken: number | null;
  completionUsdPerToken: number | null;
}

/** `effective_tokens = input_tokens + 2.5 × output_tokens` (may be fractional; round when storing). */
export function effectiveTokens(inputTokens: number, outputTokens: number): number {
  return inputTokens + OUTPUT_TOKEN_WEIGHT * outputTokens;
}

function isUsableNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Credits for one model answer: "if the provider reports the cost in USD, credits = cost × 100; else
 * cost from list prices × reported tokens × 100; else effective_tokens / 1000".
 * Unrounded (to 6 decimals), e.g. a reported cost of $0.00734 gives 0.734.
 */
export function creditsForAnswer(input: {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number | null;
  pricing?: TokenPricing | null;
}): number {
  const { inputTokens, outputTokens, costUsd, pricing } = input;
  if (isUsableNumber(costUsd)) return roundCredits(costUsd * CREDITS_PER_USD);
  const prompt = pricing?.promptUsdPerToken;
  const completion = pricing?.completionUsdPerToken;
  if (isUsableNumber(prompt) && isUsableNumber(completion)) {
    return roundCredits((inputTokens * prompt + outputTokens * completion) * CREDITS_PER_USD);
  }
  return roundCredits(effectiveTokens(inputTokens, outputTokens) / EFFECTIVE_TOKENS_PER_CREDIT);
}

/**
 * Whole credits charged for a comparison: "the sum over successful models, charged as whole credits:
 * max(1, ceil(sum)); 0 when every model failed". The sum is rounded to 6 decimals before ceil so that
 * float drift (0.1 + 0.2 = 0.30000000000000004) never costs an extra credit.
 */
export function chargeForComparison(answers: ReadonlyArray<{ success: boolean; credits: number }>): number {
  const successful = answers.filter((answer) => answer.success);
  if (successful.length === 0) return 0;
  const sum = roundCredits(successful.reduce((total, answer) => total + answer.credits, 0));
  return Math.max(1, Math.ceil(sum));
}

/**
 * A guess of an answer's length from its prompt alone: `max(100, min(4000, 1.5 × input tokens))`. Short
 * prompts get short answers far more often than 1,000 tokens.
 */
export function guessOutputTokens(inputTokens: number): number {
  return Math.max(
    MIN_GUESSED_OUTPUT_TOKENS,
    Math.min(MAX_GUESSED_OUTPUT_TOKENS, Math.ceil(1.5 * Math.max(0, inputTokens))),
  );
}

/** The median of recent output token counts, or null with fewer than `MIN_OUTPUT_SAMPLES`. */
export function medianOutputTokens(samples: readonly number[]): number | null {
  const usable = samples.filter(isUsableNumber).sort((a, b) => a - b);
  if (usable.length < MIN_OUTPUT_SAMPLES) return null;
  const mid = Math.floor(usable.length / 2);
  const median =
    usable.length % 2 === 1 ? (usable[mid] ?? 0) : ((usable[mid - 1] ?? 0) + (usable[mid] ?? 0)) / 2;
  return Math.ceil(median);
}

/**
 * Output tokens one model is expected to write: its recent median when enough answers are known, else
 * the prompt-based guess (`guessOutputTokens`).
 */
export function expectedOutputTokens(input: { promptTokens: number; recentMedian: number | null }): number {
  return input.recentMedian ?? guessOutputTokens(input.promptTokens);
}

/**
 * Admission estimate: "before streaming starts, estimate the cost (prompt tokens + each model's expected
 * output)". Each model is priced at list price for the prompt plus min(expected output, its max
 * completion), falling back to effective tokens when unpriced, and the total is charged as
 * `chargeForComparison` would if every model succeeded. Expected output: per model, else for all, else
 * `DEFAULT_EXPECTED_OUTPUT_TOKENS`. A model may carry its own `promptTokens` (its
 * follow-up thread differs from the others').
 */
export function estimateComparisonCredits(input: {
  promptTokens: number;
  models: ReadonlyArray<{
    pricing: TokenPricing | null;
    maxCompletionTokens?: number | null;
    promptTokens?: number;
    /** This model's own expectation (see `expectedOutputTokens`); else the comparison's. */
    expectedOutputTokens?: number;
    /** Credits on top of the tokens (a searching model's searches, see `webSearchEstimate`). */
    extraCredits?: number;
  }>;
  expectedOutputTokens?: number;
}): number {
  const answers = input.models.map((model) => {
    const expected =
      model.expectedOutputTokens ?? input.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
    const cap = model.maxCompletionTokens;
    const outputTokens = isUsableNumber(cap) ? Math.min(expected, cap) : expected;
    const credits = creditsForAnswer({
      inputTokens: model.promptTokens ?? input.promptTokens,
      outputTokens,
      pricing: model.pricing,
    });
    return { success: true, credits: credits + (model.extraCredits ?? 0) };
  });
  return chargeForComparison(answers);
}

/** USD billed for credits spent past a paid tier's pool ($0.013 per credit). */
export function overageChargeUsd(credits: number): number {
  return roundCredits(Math.max(0, credits) * OVERAGE_USD_PER_CREDIT);
}

/**
 * A comparison's whole-credit charge split over its answers in proportion to what each cost (to 4
 * decimals, largest remainder), so the shares add up to the charge exactly: per-model figures then sum
 * to the totals, never double counting the rounding up. Answers that cost nothing get nothing, unless
 * none cost anything, when the charge (the 1-credit minimum) is split evenly over the `billable` ones.
 */
export function splitCharge(
  charge: number,
  answers: ReadonlyArray<{ billable: boolean; credits: number }>,
): number[] {
  const units = Math.round(charge * 10_000);
  const billable = answers.map((answer) => answer.billable);
  const positive = answers.map((answer, i) => (billable[i] ? Math.max(0, answer.credits) : 0));
  let weights = positive;
  if (positive.every((weight) => weight === 0)) weights = billable.map((isBillable) => (isBillable ? 1 : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (units === 0 || total === 0) return answers.map(() => 0);
  const exact = weights.map((weight) => (units * weight) / total);
  const shares = exact.map(Math.floor);
  let left = units - shares.reduce((sum, share) => sum + share, 0);
  const order = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares.map((share) => share / 10_000);
}

/** A USD overage cap as whole credits: the most overage it pays for (never a cent over). */
export function overageCapCredits(capUsd: number): number {
  return Math.max(0, Math.floor(roundCredits(capUsd / OVERAGE_USD_PER_CREDIT)));
}
