import { applyCharge, type Db, lockedCreditCounter } from '@compareintel/db';
import {
  chargeForComparison,
  creditsForAnswer,
  effectiveTokens,
  overageChargeUsd,
  roundCredits,
} from '@compareintel/shared';
import type { RegisteredModel } from '../models/registry';
import type { ModelOutcome } from './stream-model';

export interface SettlementInput {
  userId: number | null;
  ip: string;
  fingerprint: string | null;
  conversationId: number | null;
  prompt: string;
  models: readonly RegisteredModel[];
  outcomes: readonly ModelOutcome[];
  /** Credits held for this run at admission (counted in the user's `credits_used_this_period`)… */
  heldCredits: number;
  /** …in the pool that resets at this time (a pool reset since then dropped the hold). */
  heldInPeriodResetAt: Date | null;
  poolSize: number;
  allowOverage: boolean;
  /** Anonymous runs: the most this run may be charged (what the visitor's daily pool still had). */
  anonymousChargeCap: number | null;
  processingTimeMs: number;
}

export interface Settlement {
  creditsCharged: number;
  /** Pool left after the charge; null for anonymous visitors (the caller adds today's spend). */
  creditsRemaining: number | null;
}

/** Credits one answer costs: 0 unless it finished; mock answers are priced by tokens alone. */
export function answerCredits(outcome: ModelOutcome, model: RegisteredModel | undefined): number {
  if (outcome.status !== 'done') return 0;
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

/**
 * Record a finished run, in one transaction: the answers (partial text kept for stopped and failed
 * models), one usage_logs row, the credit_transactions row and the user's counters. The held credits
 * are replaced by the real charge; without overage the charge never exceeds what the pool still had.
 */
export async function settleComparison({ db }: { db: Db }, input: SettlementInput): Promise<Settlement> {
  const byId = new Map(input.models.map((model) => [model.id, model]));
  const successful = input.outcomes.filter((o) => o.status === 'done');
  let charge = chargeForComparison(
    input.outcomes.map((o) => ({
      success: o.status === 'done',
      credits: answerCredits(o, byId.get(o.modelId)),
    })),
  );
  const inputTokens = input.outcomes.reduce((sum, o) => sum + o.inputTokens, 0);
  const outputTokens = input.outcomes.reduce((sum, o) => sum + o.outputTokens, 0);

  if (input.anonymousChargeCap !== null) charge = Math.min(charge, Math.max(0, input.anonymousChargeCap));

  return db.knex.transaction(async (trx) => {
    let creditsRemaining: number | null = null;
    let overageCredits = 0;
    if (input.userId !== null) {
      const counter = await lockedCreditCounter(trx, input.userId);
      const samePeriod = counter.resetAt?.getTime() === input.heldInPeriodResetAt?.getTime();
      const held = samePeriod ? input.heldCredits : 0;
      if (!input.allowOverage) charge = Math.min(charge, held + Math.max(0, input.poolSize - counter.used));
      const usedAfter = counter.used - held + charge;
      overageCredits = Math.max(0, Math.min(charge, usedAfter - input.poolSize));
      await applyCharge(trx, input.userId, {
        held,
        charged: charge,
        overageResponses: overageCredits > 0 ? successful.length : 0,
      });
      creditsRemaining = input.poolSize - usedAfter;
    }

    // The user (or the history limit) may have deleted the conversation while it streamed: then there is
    // nothing to save the answers into, but the run is still charged. The row lock keeps a delete from
    // landing between this check and the inserts.
    const conversation =
      input.conversationId === null
        ? undefined
        : await db.models.Conversation.query(trx).findById(input.conversationId).forUpdate();
    if (conversation) {
      for (const outcome of input.outcomes) {
        await db.models.ConversationMessage.query(trx).insert({
          conversation_id: conversation.id,
          model_id: outcome.modelId,
          role: 'assistant',
          content: outcome.text || (outcome.error ?? ''),
          input_tokens: outcome.inputTokens,
          output_tokens: outcome.outputTokens,
          success: outcome.status === 'done',
          processing_time_ms: outcome.durationMs,
        });
      }
      await db.models.Conversation.query(trx).patch({ updated_at: new Date() }).where('id', conversation.id);
    }

    const usageLog = await db.models.UsageLog.query(trx).insert({
      user_id: input.userId,
      ip_address: input.ip.slice(0, 45),
      browser_fingerprint: input.fingerprint,
      models_used: input.outcomes.map((o) => o.modelId),
      input_length: input.prompt.length,
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

    if (input.userId !== null && charge > 0) {
      await db.models.CreditTransaction.query(trx).insert({
        user_id: input.userId,
        transaction_type: 'usage',
        credits_amount: -charge,
        description: `Comparison of ${input.outcomes.length} model${input.outcomes.length === 1 ? '' : 's'}`,
        related_usage_log_id: usageLog.id,
      });
    }
    return { creditsCharged: charge, creditsRemaining };
  });
}
