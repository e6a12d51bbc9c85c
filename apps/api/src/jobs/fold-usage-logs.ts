import type { Db, Transaction, UsageLogMonthlyAggregate } from '@compareintel/db';
import { roundCredits, splitCharge } from '@compareintel/shared';
import { z } from 'zod';

/**
 * Data retention (PRODUCT.md): usage logs older than the retention window are folded into
 * `usage_log_monthly_aggregates`, one row per (year, month) UTC, then deleted — one transaction per month.
 *
 * Rules:
 * - Whole months only: a month is folded once it lies entirely before the window (it ends on or before
 *   the first day of the month that holds `now − RETENTION_DAYS`). So a month is either all raw or all
 *   aggregated, which is what staff analytics read (admin/usage-sources.ts) and why nothing is counted
 *   twice. Rows can therefore stay up to a month past the window.
 * - A month that already has a row is merged into (totals added), never overwritten; averages are
 *   recomputed from the merged totals, never averaged: avg input/output tokens and credits per
 *   comparison = total ÷ comparisons, `avg_output_ratio` = total output ÷ total input tokens.
 * - `model_breakdown` is `{ "<model>": { requested, successful, failed, inputTokens, outputTokens,
 *   credits, actualCost } }`. From `usage_log_models` where the comparison has them (exact; each model's
 *   credits are its share of the whole-credit charge, so they add up to the month's credits). For older
 *   logs without them: tokens and credits are split evenly over the models (remainders to the first),
 *   and the log's successful answers are given to its first models, its failed ones to the rest. Either
 *   way, every per-model figure sums to the month's total.
 * - Deleting a log sets `credit_transactions.related_usage_log_id` to NULL (the seed's rule) and drops
 *   its `usage_log_models`; the ledger rows themselves stay.
 */

export interface ModelShare {
  requested: number;
  successful: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  credits: number;
  actualCost: number;
}

export interface MonthTotals {
  year: number;
  month: number;
  comparisons: number;
  modelsRequested: number;
  modelsSuccessful: number;
  modelsFailed: number;
  inputTokens: number;
  outputTokens: number;
  effectiveTokens: number;
  credits: number;
  actualCost: number;
  estimatedCost: number;
  models: Record<string, ModelShare>;
}

export interface RetentionResult {
  dryRun: boolean;
  /** Logs older than this were folded (the start of the month that holds now − retention days). */
  foldedBefore: string;
  rowsFolded: number;
  months: MonthTotals[];
}

/** The first instant of the month that holds `now − days` (UTC): logs before it are folded. */
export function retentionCutoff(now: Date, days: number): Date {
  const edge = new Date(now.getTime() - days * 86_400_000);
  return new Date(Date.UTC(edge.getUTCFullYear(), edge.getUTCMonth(), 1));
}

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month - 1, 1));
}

const ZNumber = z.coerce.number().catch(0);
const ZModelIds = z.union([
  z.array(z.string()),
  z.string().transform((text) => {
    try {
      return z.array(z.string()).catch([]).parse(JSON.parse(text));
    } catch {
      return [];
    }
  }),
]);
const ZModelShare = z.object({
  requested: ZNumber.default(0),
  successful: ZNumber.default(0),
  failed: ZNumber.default(0),
  inputTokens: ZNumber.default(0),
  outputTokens: ZNumber.default(0),
  credits: ZNumber.default(0),
  actualCost: ZNumber.default(0),
});

function emptyShare(): ModelShare {
  return {
    requested: 0,
    successful: 0,
    failed: 0,
    inputTokens: 0,
    outputTokens: 0,
    credits: 0,
    actualCost: 0,
  };
}

function addShare(into: Record<string, ModelShare>, modelId: string, share: ModelShare): void {
  const current = into[modelId] ?? emptyShare();
  into[modelId] = {
    requested: current.requested + share.requested,
    successful: current.successful + share.successful,
    failed: current.failed + share.failed,
    inputTokens: current.inputTokens + share.inputTokens,
    outputTokens: current.outputTokens + share.outputTokens,
    credits: roundCredits(current.credits + share.credits),
    actualCost: roundCredits(current.actualCost + share.actualCost),
  };
}

/** An integer split evenly over `parts`, the remainder to the first ones. */
function evenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

async function monthTotals(trx: Db['knex'] | Transaction, year: number, month: number): Promise<MonthTotals> {
  const from = monthStart(year, month).toISOString();
  const to = monthStart(year, month + 1).toISOString();
  const inMonth = () => trx('usage_logs').where('created_at', '>=', from).andWhere('created_at', '<', to);
  const sums = await inMonth()
    .count({ comparisons: '*' })
    .sum({
      requested: 'models_requested',
      successful: 'models_successful',
      failed: 'models_failed',
      input: 'input_tokens',
      output: 'output_tokens',
      effective: 'effective_tokens',
      credits: 'credits_used',
      actual: 'actual_cost',
      estimated: 'estimated_cost',
    })
    .first();
  const total = z
    .object({
      comparisons: ZNumber,
      requested: ZNumber,
      successful: ZNumber,
      failed: ZNumber,
      input: ZNumber,
      output: ZNumber,
      effective: ZNumber,
      credits: ZNumber,
      actual: ZNumber,
      estimated: ZNumber,
    })
    .parse(sums ?? {});

  const models: Record<string, ModelShare> = {};
  const exact = z
    .array(
      z.object({
        model_id: z.string(),
        requested: ZNumber,
        successful: ZNumber,
        input: ZNumber,
        output: ZNumber,
        credits: ZNumber,
        actual: ZNumber,
      }),
    )
    .parse(
      await trx('usage_log_models')
        .whereIn('usage_log_id', inMonth().select('id'))
        .groupBy('model_id')
        .select('model_id')
        .count({ requested: '*' })
        .sum({ input: 'input_tokens', output: 'output_tokens', credits: 'credits', actual: 'actual_cost' })
        .select(trx.raw("sum(case when status = 'done' then 1 else 0 end) as successful")),
    );
  for (const row of exact) {
    addShare(models, row.model_id, {
      requested: row.requested,
      successful: row.successful,
      failed: row.requested - row.successful,
      inputTokens: row.input,
      outputTokens: row.output,
      credits: row.credits,
      actualCost: row.actual,
    });
  }

  // Logs from before per-model rows were written: attributed by the rule above.
  const older = z
    .array(
      z.object({
        models_used: ZModelIds,
        models_successful: ZNumber,
        input_tokens: ZNumber,
        output_tokens: ZNumber,
        credits_used: ZNumber,
        actual_cost: ZNumber,
      }),
    )
    .parse(
      await inMonth()
        .whereNotExists((q) =>
          q.select(trx.raw('1')).from('usage_log_models').whereRaw('usage_log_id = usage_logs.id'),
        )
        .select(
          'models_used',
          'models_successful',
          'input_tokens',
          'output_tokens',
          'credits_used',
          'actual_cost',
        ),
    );
  for (const log of older) {
    const ids = log.models_used;
    if (ids.length === 0) continue;
    const inputs = evenly(log.input_tokens, ids.length);
    const outputs = evenly(log.output_tokens, ids.length);
    const credits = splitCharge(
      log.credits_used,
      ids.map(() => ({ billable: true, credits: 1 })),
    );
    const costs = splitCharge(
      log.actual_cost,
      ids.map(() => ({ billable: true, credits: 1 })),
    );
    ids.forEach((modelId, i) => {
      const successful = i < log.models_successful ? 1 : 0;
      addShare(models, modelId, {
        requested: 1,
        successful,
        failed: 1 - successful,
        inputTokens: inputs[i] ?? 0,
        outputTokens: outputs[i] ?? 0,
        credits: credits[i] ?? 0,
        actualCost: costs[i] ?? 0,
      });
    });
  }

  return {
    year,
    month,
    comparisons: total.comparisons,
    modelsRequested: total.requested,
    modelsSuccessful: total.successful,
    modelsFailed: total.failed,
    inputTokens: total.input,
    outputTokens: total.output,
    effectiveTokens: total.effective,
    credits: roundCredits(total.credits),
    actualCost: roundCredits(total.actual),
    estimatedCost: roundCredits(total.estimated),
    models,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** The aggregate row after merging `add` into `existing` (if any), averages recomputed from totals. */
function mergedRow(existing: UsageLogMonthlyAggregate | undefined, add: MonthTotals) {
  const models: Record<string, ModelShare> = {};
  const previous = z
    .record(z.string(), ZModelShare)
    .catch({})
    .parse(existing?.model_breakdown ?? {});
  for (const [modelId, share] of Object.entries(previous)) addShare(models, modelId, share);
  for (const [modelId, share] of Object.entries(add.models)) addShare(models, modelId, share);
  const comparisons = (existing?.total_comparisons ?? 0) + add.comparisons;
  const input = (existing?.total_input_tokens ?? 0) + add.inputTokens;
  const output = (existing?.total_output_tokens ?? 0) + add.outputTokens;
  const credits = roundCredits((existing?.total_credits_used ?? 0) + add.credits);
  return {
    year: add.year,
    month: add.month,
    total_comparisons: comparisons,
    total_models_requested: (existing?.total_models_requested ?? 0) + add.modelsRequested,
    total_models_successful: (existing?.total_models_successful ?? 0) + add.modelsSuccessful,
    total_models_failed: (existing?.total_models_failed ?? 0) + add.modelsFailed,
    total_input_tokens: input,
    total_output_tokens: output,
    total_effective_tokens: (existing?.total_effective_tokens ?? 0) + add.effectiveTokens,
    avg_input_tokens: ratio(input, comparisons),
    avg_output_tokens: ratio(output, comparisons),
    avg_output_ratio: ratio(output, input),
    total_credits_used: credits,
    avg_credits_per_comparison: ratio(credits, comparisons),
    total_actual_cost: roundCredits((existing?.total_actual_cost ?? 0) + add.actualCost),
    total_estimated_cost: roundCredits((existing?.total_estimated_cost ?? 0) + add.estimatedCost),
    model_breakdown: models,
  };
}

/** The months (year, month) that have logs before `cutoff`, oldest first. */
async function monthsBefore(db: Db, cutoff: Date): Promise<Array<{ year: number; month: number }>> {
  const oldest = await db
    .knex('usage_logs')
    .where('created_at', '<', cutoff.toISOString())
    .min({ first: 'created_at' })
    .first<{ first: string | Date | null } | undefined>();
  if (!oldest?.first) return [];
  const first = new Date(oldest.first);
  const months: Array<{ year: number; month: number }> = [];
  for (
    let at = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
    at < cutoff;
    at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))
  ) {
    months.push({ year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 });
  }
  return months;
}

export async function foldUsageLogs(
  { db, now, retentionDays }: { db: Db; now: Date; retentionDays: number },
  { dryRun }: { dryRun: boolean },
): Promise<RetentionResult> {
  const cutoff = retentionCutoff(now, retentionDays);
  const result: RetentionResult = { dryRun, foldedBefore: cutoff.toISOString(), rowsFolded: 0, months: [] };
  for (const { year, month } of await monthsBefore(db, cutoff)) {
    if (dryRun) {
      const totals = await monthTotals(db.knex, year, month);
      if (totals.comparisons > 0) result.months.push(totals);
      result.rowsFolded += totals.comparisons;
      continue;
    }
    await db.knex.transaction(async (trx) => {
      const totals = await monthTotals(trx, year, month);
      if (totals.comparisons === 0) return;
      const existing = await db.models.UsageLogMonthlyAggregate.query(trx)
        .findOne({ year, month })
        .forUpdate();
      const row = mergedRow(existing, totals);
      if (existing) await db.models.UsageLogMonthlyAggregate.query(trx).findById(existing.id).patch(row);
      else await db.models.UsageLogMonthlyAggregate.query(trx).insert(row);
      const deleted = await trx('usage_logs')
        .where('created_at', '>=', monthStart(year, month).toISOString())
        .andWhere('created_at', '<', monthStart(year, month + 1).toISOString())
        .delete();
      result.rowsFolded += deleted;
      result.months.push(totals);
    });
  }
  return result;
}
