import { type Db, releaseCredits } from '@compareintel/db';
import { AppError, type TCompareRunInput, TIERS } from '@compareintel/shared';
import { createConversationWithinLimit } from '../conversations/create-conversation';
import { anonymousCreditsUsed, reserveCredits } from '../credits/credit-pool';
import type { ModelRegistry } from '../models/registry';
import type { LlmGateway } from '../providers/llm';
import { textTokens } from '../providers/llm/tokens';
import type { AnonymousHolds } from './anonymous-holds';
import { assessComparison, type ComparisonActor } from './assess-comparison';
import { ComparisonRun } from './comparison-run';
import type { RunRegistry } from './run-registry';
import { answerCredits, settleComparison } from './settle-comparison';

export interface CompareDeps {
  db: Db;
  models: ModelRegistry;
  llm: LlmGateway;
  runs: RunRegistry;
  anonymousHolds: AnonymousHolds;
  modelTimeoutMs: number;
  now(): Date;
  log(error: unknown, message: string): void;
}

export function ownerKeyOf(actor: ComparisonActor): string {
  return actor.user ? `user:${actor.user.id}` : `anon:${actor.ip}`;
}

function notEnoughCredits(remaining: number, needed: number, anonymous: boolean): AppError {
  const tail = anonymous
    ? 'Sign up for a free account for a larger daily pool, or come back tomorrow.'
    : 'Pick fewer or cheaper models, wait for your credits to reset, or upgrade your plan.';
  return new AppError(
    'PAYMENT_REQUIRED',
    `This comparison needs about ${needed} credit${needed === 1 ? '' : 's'} and you have ${Math.max(0, remaining)} left. ${tail}`,
    { creditsRemaining: Math.max(0, remaining) },
  );
}

/**
 * Admit and start a comparison: checks (tier, access, conversation), holds the estimated credits
 * atomically, saves the prompt, then starts every model at once. Nothing runs upstream before all of
 * that passed. The returned run settles itself when its models end.
 */
export async function startComparison(
  deps: CompareDeps,
  actor: ComparisonActor,
  input: TCompareRunInput,
): Promise<ComparisonRun> {
  const { db } = deps;
  const now = deps.now();
  const assessment = await assessComparison({ db, models: deps.models, now }, actor, input);
  const { user, estimatedCredits: held, poolSize, allowOverage } = assessment;
  // Everything that can fail is read before credits are held.
  const settings = await db.models.AppSetting.query().findById(1);
  const mock = user ? user.mock_mode_enabled : (settings?.anonymous_mock_mode_enabled ?? false);
  const heldInPeriodResetAt = user?.credits_reset_at ?? null;

  let releaseHold: () => Promise<void>;
  if (user) {
    const reserved = await reserveCredits({ db }, user, held, { allowOverage });
    if (!reserved) throw notEnoughCredits(assessment.creditsRemaining, held, false);
    releaseHold = async () => {
      if (heldInPeriodResetAt) await releaseCredits(db, user.id, held, heldInPeriodResetAt);
    };
  } else {
    const release = deps.anonymousHolds.tryHold(actor, held, assessment.creditsRemaining);
    if (!release) throw notEnoughCredits(assessment.creditsRemaining, held, true);
    releaseHold = async () => release();
  }

  // Saved while the models already stream (see RunPlan.conversation).
  const conversation: Promise<number | null> = user
    ? db.knex.transaction(async (trx) => {
        let saved = assessment.conversation;
        if (saved) {
          const modelsUsed = [...new Set([...saved.models_used, ...input.models])];
          await db.models.Conversation.query(trx).patch({ models_used: modelsUsed }).where('id', saved.id);
        } else {
          saved = await createConversationWithinLimit(
            { db, trx },
            { userId: user.id, inputData: input.prompt, modelsUsed: input.models, type: 'comparison' },
            TIERS[assessment.limitsTier].savedConversations,
          );
        }
        await db.models.ConversationMessage.query(trx).insert({
          conversation_id: saved.id,
          model_id: null,
          role: 'user',
          content: input.prompt,
          input_tokens: textTokens(input.prompt),
          success: true,
        });
        return saved.id;
      })
    : Promise.resolve(null);

  const byId = new Map(assessment.models.map((model) => [model.id, model]));
  const run = new ComparisonRun({
    ownerKey: ownerKeyOf(actor),
    conversation,
    temperature: input.temperature,
    timeoutMs: deps.modelTimeoutMs,
    models: assessment.models.map((model) => ({
      model,
      provider: deps.llm.providerFor(model, { mock }),
      messages: assessment.threads.get(model.id)?.messages ?? [],
    })),
    answerCredits: (outcome) => answerCredits(outcome, byId.get(outcome.modelId)),
    settle: async (outcomes, processingTimeMs, conversationId) => {
      const anonymousChargeCap = user
        ? null
        : poolSize -
          (await anonymousCreditsUsed({ db, now: deps.now() }, actor)) -
          (deps.anonymousHolds.heldFor(actor) - held);
      const settlement = await settleComparison(
        { db },
        {
          userId: user?.id ?? null,
          ip: actor.ip,
          fingerprint: actor.fingerprint,
          conversationId,
          prompt: input.prompt,
          models: assessment.models,
          outcomes,
          heldCredits: user ? held : 0,
          heldInPeriodResetAt,
          poolSize,
          allowOverage,
          anonymousChargeCap,
          processingTimeMs,
        },
      );
      if (user) return { ...settlement, creditsRemaining: settlement.creditsRemaining ?? 0 };
      await releaseHold();
      const used = await anonymousCreditsUsed({ db, now: deps.now() }, actor);
      return { ...settlement, creditsRemaining: poolSize - used };
    },
    onFailure: (error, stage) => {
      deps.log(
        error,
        stage === 'start' ? 'comparison could not be saved' : 'comparison could not be settled',
      );
      void releaseHold().catch((releaseError: unknown) => deps.log(releaseError, 'credit hold not released'));
      return new AppError(
        'INTERNAL',
        stage === 'start'
          ? 'Your comparison could not be started. You were not charged for it.'
          : 'Your comparison could not be saved. You were not charged for it.',
      );
    },
  });
  deps.runs.add(run);
  return run;
}
