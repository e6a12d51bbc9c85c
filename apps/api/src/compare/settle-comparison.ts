import {
  adjustVisitorPools,
  applyCharge,
  type CreditHold,
  claimCreditHold,
  type Db,
  lockedCreditCounter,
  lockedVisitorPoolUsed,
  type Transaction,
} from '@compareintel/db';
import {
  chargeForComparison,
  creditsForAnswer,
  effectiveTokens,
  overageChargeUsd,
  roundCredits,
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

/** Credits one answer costs (0 unless billable); mock answers are priced by tokens alone. */
export function answerCredits(outcome: ModelOutcome, model: RegisteredModel | undefined): number {
  if (!isBillable(outcome)) return 0;
  return creditsForAnswer({
    inputTokens: outcome.inputTokens,
    outputTokens: outcome.outputTokens,
    costUsd: outcome.mock ? null : outcome.costUsd,
    pricing: outcome.mock ? null : (model?.pricing ?? null),
  });
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
async function overageRoomOf(trx: Transaction, hold: CreditHold, samePeriod: boolean): Promise<number> {
  const row = await trx('overage_settings')
    .where('user_id', hold.user_id)
    .forUpdate()
    .first<{ enabled: boolean | number; cap_credits: number; credits_used: number } | undefined>(
      'enabled',
      'cap_credits',
      'credits_used',
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
  trx: Transaction,
  hold: CreditHold,
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
  if (hold.user_id !== null) {
    const counter = await lockedCreditCounter(trx, hold.user_id);
    samePeriod = counter.resetAt?.getTime() === hold.period_reset_at?.getTime();
    userHeld = samePeriod ? hold.credits : 0;
    userUsed = counter.used;
    // What this run may take from the pool: the part of its hold admitted within the pool, plus what the
    // pool has free now. The rest of the charge is overage, and only as far as the cap allows (what this
    // hold took at admission plus the cap's free room); each hold counts its own overage, so concurrent
    // settlements in any order add up to the counter.
    poolPart = userHeld - overageReservedBy(hold, samePeriod) + Math.max(0, hold.pool_size - userUsed);
    const overageRoom = hold.allow_overage ? await overageRoomOf(trx, hold, samePeriod) : 0;
    charge = Math.min(charge, poolPart + overageRoom);
  }
  const visitorDay = hold.visitor_day;
  let visitorUsed = 0;
  if (visitorDay && hold.visitor_keys.length > 0) {
    visitorUsed = await lockedVisitorPoolUsed(trx, hold.visitor_keys, visitorDay);
    charge = Math.min(charge, hold.credits + Math.max(0, TIERS.anonymous.credits - visitorUsed));
  }
  charge = Math.max(0, charge);

  if (hold.user_id !== null) {
    const usedAfter = userUsed - userHeld + charge;
    overageCredits = Math.max(0, charge - poolPart);
    if (hold.allow_overage) {
      const reserved = overageReservedBy(hold, samePeriod);
      if (overageCredits !== reserved) {
        await trx('overage_settings')
          .where('user_id', hold.user_id)
          .increment('credits_used', overageCredits - reserved);
      }
    }
    // Each answer paid for past the pool counts as one overage response.
    await applyCharge(trx, hold.user_id, {
      held: userHeld,
      charged: charge,
      overageResponses: overageCredits > 0 ? billableAnswers : 0,
    });
    remaining = Math.min(remaining, hold.pool_size - usedAfter);
  }
  if (visitorDay && hold.visitor_keys.length > 0) {
    await adjustVisitorPools(trx, hold.visitor_keys, visitorDay, charge - hold.credits);
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

  return db.knex.transaction(async (trx) => {
    const hold = await claimCreditHold(trx, db, input.holdId, input.userId);
    if (!hold) return null;
    const { charge, overageCredits, creditsRemaining } = await chargePools(
      trx,
      hold,
      wanted,
      billable.length,
    );

    // The user (or the history limit) may have deleted the conversation while it streamed: then there is
    // nothing to save the answers into, but the run is still charged. The row lock keeps a delete from
    // landing between this check and the inserts.
    const conversation =
      hold.conversation_id === null
        ? undefined
        : await db.models.Conversation.query(trx).findById(hold.conversation_id).forUpdate();
    if (conversation && input.outcomes.length > 0) {
      // One insert for the answers and one for their details (ids come back in insert order).
      const messages: Array<{ id: number }> = await trx('conversation_messages')
        .insert(
          input.outcomes.map((outcome) => ({
            conversation_id: conversation.id,
            model_id: outcome.modelId,
            role: 'assistant',
            content: outcome.text || (outcome.error ?? ''),
            input_tokens: outcome.inputTokens,
            output_tokens: outcome.outputTokens,
            success: outcome.status === 'done',
            processing_time_ms: outcome.durationMs,
            created_at: new Date(),
          })),
        )
        .returning('id');
      await trx('message_details').insert(
        input.outcomes.map((outcome, index) => ({
          message_id: messages[index]?.id,
          status: outcome.status,
          error: outcome.error,
          ttft_ms: outcome.ttftMs,
          credits: answerCredits(outcome, byId.get(outcome.modelId)),
          cost_usd: outcome.mock ? null : outcome.costUsd,
        })),
      );
      await db.models.Conversation.query(trx).patch({ updated_at: new Date() }).where('id', conversation.id);
    }

    const usageLog = await db.models.UsageLog.query(trx).insert({
      user_id: hold.user_id,
      ip_address: hold.ip_address,
      browser_fingerprint: hold.browser_fingerprint,
      models_used: input.outcomes.map((o) => o.modelId),
      input_length: hold.input_length,
      models_requested: input.outcomes.length,
      models_successful: successful.length,
      models_failed: input.outcomes.length - successful.length,
      processing_time_ms: input.processingTimeMs,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
      effective_tokens: Math.round(effectiveTokens(inputTokens, outputTokens)),
      credits_used: charge,
      actual_cost: roundCredits(input.outcomes.reduce((sum, o) => sum + (o.mock ? 0 : (o.costUsd ?? 0)), 0)),
      estimated_cost: roundCredits(
        input.outcomes.reduce((sum, o) => sum + listPriceUsd(o, byId.get(o.modelId)), 0),
      ),
      is_overage: overageCredits > 0,
      overage_charge: overageChargeUsd(overageCredits),
    });

    const shares = splitCharge(
      charge,
      input.outcomes.map((o) => ({
        billable: isBillable(o),
        credits: answerCredits(o, byId.get(o.modelId)),
      })),
    );
    await trx('usage_log_models').insert(
      input.outcomes.map((outcome, i) => ({
        usage_log_id: usageLog.id,
        model_id: outcome.modelId,
        status: outcome.status,
        input_tokens: outcome.inputTokens,
        output_tokens: outcome.outputTokens,
        credits: shares[i] ?? 0,
        actual_cost: outcome.mock ? 0 : (outcome.costUsd ?? 0),
      })),
    );

    if (hold.user_id !== null && overageCredits > 0) {
      // Billed through Stripe after commit (billing/report-overage.ts), once per run: the hold id is the
      // meter event's identifier.
      await db.models.OverageCharge.query(trx).insert({
        hold_id: hold.id,
        user_id: hold.user_id,
        credits: overageCredits,
        amount_usd: overageChargeUsd(overageCredits),
      });
    }
    if (hold.user_id !== null && charge > 0) {
      await db.models.CreditTransaction.query(trx).insert({
        user_id: hold.user_id,
        transaction_type: 'usage',
        credits_amount: -charge,
        description: `Comparison of ${input.outcomes.length} model${input.outcomes.length === 1 ? '' : 's'}`,
        related_usage_log_id: usageLog.id,
      });
    }
    return { creditsCharged: charge, creditsRemaining, overageCredits };
  });
}
