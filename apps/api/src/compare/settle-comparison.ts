import {
  adjustVisitorPools,
  applyCharge,
  type ClaimedHold,
  type CreditHold,
  claimCreditHold,
  type Db,
  lockedVisitorPoolUsed,
  rowLock,
  type Sql,
} from '@compareintel/db';
import {
  chargeForComparison,
  creditsForAnswer,
  effectiveTokens,
  overageChargeUsd,
  roundCredits,
  searchCredits,
  splitCharge,
  TIERS,
} from '@compareintel/shared';
import type { RegisteredModel } from '../models/registry';
import type { ModelOutcome } from './stream-model';

export interface SettlementInput {
  /** The run's hold (its id is the run id): what was held, for whom, and where the answers go. */
  holdId: string;
  /** The hold's user (null: a visitor's), when the settling process knows it; recovery reads it. */
  userId?: number | null;
  models: readonly RegisteredModel[];
  outcomes: readonly ModelOutcome[];
  processingTimeMs: number;
}

export interface Settlement {
  creditsCharged: number;
  /** What the caller's pool has left after the charge. */
  creditsRemaining: number;
  /** Credits of the charge past the pool (billed as overage). */
  overageCredits: number;
}

/**
 * Whether an answer is paid for: a finished one, and one stopped by the user or cut off when the client
 * went away, for the tokens it produced (the provider bills them too). A failure on the provider's side
 * is free, and so is a model stopped before its first token.
 */
export function isBillable(outcome: ModelOutcome): boolean {
  if (outcome.status === 'done') return true;
  return outcome.status === 'stopped' && outcome.text.length > 0;
}

/**
 * Credits one answer costs (0 unless billable): its tokens (mock answers priced by tokens alone) plus
 * its web searches (`SEARCH_CREDITS_PER_CALL` each).
 */
export function answerCredits(outcome: ModelOutcome, model: RegisteredModel | undefined): number {
  if (!isBillable(outcome)) return 0;
  const tokens = creditsForAnswer({
    inputTokens: outcome.inputTokens,
    outputTokens: outcome.outputTokens,
    costUsd: outcome.mock ? null : outcome.costUsd,
    pricing: outcome.mock ? null : (model?.pricing ?? null),
  });
  return roundCredits(tokens + searchCredits(outcome.web?.searches ?? 0));
}

function listPriceUsd(outcome: ModelOutcome, model: RegisteredModel | undefined): number {
  const prompt = model?.pricing.promptUsdPerToken ?? 0;
  const completion = model?.pricing.completionUsdPerToken ?? 0;
  return outcome.inputTokens * prompt + outcome.outputTokens * completion;
}

/** The overage credits this hold took at admission that still count (none once the period was reset). */
function overageReservedBy(hold: CreditHold, samePeriod: boolean): number {
  return samePeriod ? hold.overage_credits : 0;
}

/**
 * How many credits past the pool this settlement may charge, under the lock of the overage row: what the
 * hold took at admission plus what the cap has left (only the former once overage was switched off).
 */
async function overageRoomOf(sql: Sql, hold: CreditHold, samePeriod: boolean): Promise<number> {
  const row = await sql.first<{ enabled: boolean | number; cap_credits: number; credits_used: number }>(
    `select enabled, cap_credits, credits_used from overage_settings where user_id = ?${rowLock(sql, 'update')}`,
    [hold.user_id],
  );
  const reserved = overageReservedBy(hold, samePeriod);
  if (!row) return reserved;
  const free = row.enabled ? Math.max(0, Number(row.cap_credits) - Number(row.credits_used)) : 0;
  return reserved + free;
}

/**
 * Replace the hold by the real charge on every pool it was counted in: the user's counter (when the pool
 * has not been reset since) and the visitor pools of the day. Without overage the charge never exceeds
 * what the hold plus the pools' free credits cover. Returns the charge and the credits left.
 */
async function chargePools(
  sql: Sql,
  { hold, counter }: ClaimedHold,
  wanted: number,
  billableAnswers: number,
): Promise<{ charge: number; overageCredits: number; creditsRemaining: number }> {
  let charge = wanted;
  let remaining = Number.POSITIVE_INFINITY;
  let overageCredits = 0;
  let userHeld = 0;
  let userUsed = 0;
  let samePeriod = false;
  let poolPart = 0;
  // Lock order: the user's row, then the visitor pools (see credit-holds.ts in packages/db).
  if (hold.user_id !== null && counter) {
    samePeriod = counter.resetAt?.getTime() === hold.period_reset_at?.getTime();
    userHeld = samePeriod ? hold.credits : 0;
    userUsed = counter.used;
    // What this run may take from the pool: the part of its hold admitted within the pool, plus what the
    // pool has free now. The rest of the charge is overage, and only as far as the cap allows (what this
    // hold took at admission plus the cap's free room); each hold counts its own overage, so concurrent
    // settlements in any order add up to the counter.
    poolPart = userHeld - overageReservedBy(hold, samePeriod) + Math.max(0, hold.pool_size - userUsed);
    const overageRoom = hold.allow_overage ? await overageRoomOf(sql, hold, samePeriod) : 0;
    charge = Math.min(charge, poolPart + overageRoom);
  }
  const visitorDay = hold.visitor_day;
  let visitorUsed = 0;
  if (visitorDay && hold.visitor_keys.length > 0) {
    visitorUsed = await lockedVisitorPoolUsed(sql, hold.visitor_keys, visitorDay);
    charge = Math.min(charge, hold.credits + Math.max(0, TIERS.anonymous.credits - visitorUsed));
  }
  charge = Math.max(0, charge);

  if (hold.user_id !== null) {
    const usedAfter = userUsed - userHeld + charge;
    overageCredits = Math.max(0, charge - poolPart);
    if (hold.allow_overage) {
      const reserved = overageReservedBy(hold, samePeriod);
      if (overageCredits !== reserved) {
        await sql.run('update overage_settings set credits_used = credits_used + ? where user_id = ?', [
          overageCredits - reserved,
          hold.user_id,
        ]);
      }
    }
    // Each answer paid for past the pool counts as one overage response.
    await applyCharge(sql, hold.user_id, {
      held: userHeld,
      charged: charge,
      overageResponses: overageCredits > 0 ? billableAnswers : 0,
    });
    remaining = Math.min(remaining, hold.pool_size - usedAfter);
  }
  if (visitorDay && hold.visitor_keys.length > 0) {
    await adjustVisitorPools(sql, hold.visitor_keys, visitorDay, charge - hold.credits);
    remaining = Math.min(remaining, TIERS.anonymous.credits - (visitorUsed - hold.credits + charge));
  }
  return { charge, overageCredits, creditsRemaining: Number.isFinite(remaining) ? remaining : 0 };
}

/**
 * Record a finished (or recovered) run, in one transaction: claim its hold, charge it, save the answers
 * (partial text kept, with how each ended and why), one usage_logs row and the credit_transactions row.
 * Returns null when the hold was already claimed (the run was settled elsewhere): nothing is written.
 */
export async function settleComparison(
  { db }: { db: Db },
  input: SettlementInput,
): Promise<Settlement | null> {
  const byId = new Map(input.models.map((model) => [model.id, model]));
  const billable = input.outcomes.filter(isBillable);
  const successful = input.outcomes.filter((o) => o.status === 'done');
  const wanted = chargeForComparison(
    input.outcomes.map((o) => ({ success: isBillable(o), credits: answerCredits(o, byId.get(o.modelId)) })),
  );
  const inputTokens = input.outcomes.reduce((sum, o) => sum + o.inputTokens, 0);
  const outputTokens = input.outcomes.reduce((sum, o) => sum + o.outputTokens, 0);

  return db.transaction(async (sql) => {
    const claimed = await claimCreditHold(sql, db, input.holdId, input.userId);
    if (!claimed) return null;
    const { hold } = claimed;
    const { charge, overageCredits, creditsRemaining } = await chargePools(
      sql,
      claimed,
      wanted,
      billable.length,
    );
    const now = new Date();

    // The user (or the history limit) may have deleted the conversation while it streamed: then there is
    // nothing to save the answers into, but the run is still charged. Touching the row locks it, so a
    // delete cannot land between this check and the inserts.
    const conversationId = hold.conversation_id;
    const saveAnswers =
      conversationId !== null &&
      input.outcomes.length > 0 &&
      (await sql.run('update conversations set updated_at = ? where id = ?', [now, conversationId])) === 1;
    if (saveAnswers) {
      // One insert for the answers and one for their details (ids come back in insert order).
      const messages = await sql.all<{ id: number }>(
        `insert into conversation_messages (conversation_id, model_id, role, content, input_tokens,
           output_tokens, success, processing_time_ms, created_at)
         values ${rowsOf(input.outcomes.length, 9)} returning id`,
        input.outcomes.flatMap((outcome) => [
          conversationId,
          outcome.modelId,
          'assistant',
          outcome.text || (outcome.error ?? ''),
          outcome.inputTokens,
          outcome.outputTokens,
          outcome.status === 'done',
          outcome.durationMs,
          now,
        ]),
      );
      await sql.run(
        `insert into message_details (message_id, status, error, ttft_ms, credits, cost_usd)
         values ${rowsOf(input.outcomes.length, 6)}`,
        input.outcomes.flatMap((outcome, index) => [
          messages[index]?.id ?? null,
          outcome.status,
          outcome.error,
          outcome.ttftMs,
          decimal(answerCredits(outcome, byId.get(outcome.modelId)), 6),
          outcome.mock || outcome.costUsd === null ? null : decimal(outcome.costUsd, 6),
        ]),
      );
      await saveWebToolUse(sql, input.outcomes, (index) => messages[index]?.id ?? null);
    }

    const [usageLog] = await sql.all<{ id: number }>(
      `insert into usage_logs (user_id, ip_address, browser_fingerprint, models_used, input_length,
         models_requested, models_successful, models_failed, processing_time_ms, input_tokens, output_tokens,
         total_tokens, effective_tokens, credits_used, actual_cost, estimated_cost, is_overage, overage_charge,
         created_at)
       values ${rowsOf(1, 19)} returning id`,
      [
        hold.user_id,
        hold.ip_address,
        hold.browser_fingerprint,
        JSON.stringify(input.outcomes.map((o) => o.modelId)),
        hold.input_length,
        input.outcomes.length,
        successful.length,
        input.outcomes.length - successful.length,
        input.processingTimeMs,
        inputTokens,
        outputTokens,
        inputTokens + outputTokens,
        Math.round(effectiveTokens(inputTokens, outputTokens)),
        decimal(charge, 4),
        decimal(roundCredits(input.outcomes.reduce((sum, o) => sum + (o.mock ? 0 : (o.costUsd ?? 0)), 0)), 4),
        decimal(
          roundCredits(input.outcomes.reduce((sum, o) => sum + listPriceUsd(o, byId.get(o.modelId)), 0)),
          4,
        ),
        overageCredits > 0,
        decimal(overageChargeUsd(overageCredits), 4),
        now,
      ],
    );
    if (!usageLog) throw new Error('the usage log was not written');
    // A blind run (issue 17) is finished now, whoever settles it (its process or crash recovery); its vote
    // may be cast from here on.
    await sql.run('update blind_runs set finished_at = ?, usage_log_id = ? where id = ?', [
      now,
      usageLog.id,
      hold.id,
    ]);

    const shares = splitCharge(
      charge,
      input.outcomes.map((o) => ({
        billable: isBillable(o),
        credits: answerCredits(o, byId.get(o.modelId)),
      })),
    );
    await sql.run(
      `insert into usage_log_models (usage_log_id, model_id, status, input_tokens, output_tokens, credits,
         actual_cost)
       values ${rowsOf(input.outcomes.length, 7)}`,
      input.outcomes.flatMap((outcome, i) => [
        usageLog.id,
        outcome.modelId,
        outcome.status,
        outcome.inputTokens,
        outcome.outputTokens,
        shares[i] ?? 0,
        outcome.mock ? 0 : (outcome.costUsd ?? 0),
      ]),
    );

    const searching = input.outcomes.filter((outcome) => outcome.web && outcome.web.calls.length > 0);
    if (searching.length > 0) {
      await sql.run(
        `insert into usage_log_web_searches (usage_log_id, model_id, searches, pages_read, failed_calls,
           credits)
         values ${rowsOf(searching.length, 6)}`,
        searching.flatMap((outcome) => {
          const calls = outcome.web?.calls ?? [];
          const searches = isBillable(outcome) ? (outcome.web?.searches ?? 0) : 0;
          return [
            usageLog.id,
            outcome.modelId,
            outcome.web?.searches ?? 0,
            calls.filter((call) => call.tool === 'fetch_url' && call.state === 'done').length,
            calls.filter((call) => call.state === 'failed').length,
            decimal(searchCredits(searches), 4),
          ];
        }),
      );
    }

    if (hold.user_id !== null && overageCredits > 0) {
      // Billed through Stripe after commit (billing/report-overage.ts), once per run: the hold id is the
      // meter event's identifier.
      await sql.run(
        'insert into overage_charges (hold_id, user_id, credits, amount_usd, created_at) values (?, ?, ?, ?, ?)',
        [hold.id, hold.user_id, overageCredits, decimal(overageChargeUsd(overageCredits), 4), now],
      );
    }
    if (hold.user_id !== null && charge > 0) {
      await sql.run(
        `insert into credit_transactions (user_id, transaction_type, credits_amount, description,
           related_usage_log_id, created_at)
         values (?, 'usage', ?, ?, ?, ?)`,
        [
          hold.user_id,
          -charge,
          `Comparison of ${input.outcomes.length} model${input.outcomes.length === 1 ? '' : 's'}`,
          usageLog.id,
          now,
        ],
      );
    }
    return { creditsCharged: charge, creditsRemaining, overageCredits };
  });
}

/** Each answer's sources and web tool calls, in order (message_sources, message_tool_calls). */
async function saveWebToolUse(
  sql: Sql,
  outcomes: readonly ModelOutcome[],
  messageIdOf: (index: number) => number | null,
): Promise<void> {
  const sources = outcomes.flatMap((outcome, index) =>
    (outcome.web?.sources ?? []).map((source, position) => [
      messageIdOf(index),
      position,
      source.kind,
      source.url.slice(0, 2048),
      source.title.slice(0, 500),
    ]),
  );
  if (sources.length > 0) {
    await sql.run(
      `insert into message_sources (message_id, position, kind, url, title) values ${rowsOf(sources.length, 5)}`,
      sources.flat(),
    );
  }
  const calls = outcomes.flatMap((outcome, index) =>
    (outcome.web?.calls ?? []).map((call, position) => [
      messageIdOf(index),
      position,
      call.tool,
      call.target.slice(0, 2048),
      call.state,
      call.note,
    ]),
  );
  if (calls.length > 0) {
    await sql.run(
      `insert into message_tool_calls (message_id, position, tool, target, state, note)
       values ${rowsOf(calls.length, 6)}`,
      calls.flat(),
    );
  }
}

/** `(?, ?, …), (?, ?, …)`: the placeholders of a multi-row insert. */
function rowsOf(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** A DECIMAL column's value as its exact text, as the models write it (see BaseModel). */
function decimal(value: number, scale: number): string {
  return value.toFixed(scale);
}
