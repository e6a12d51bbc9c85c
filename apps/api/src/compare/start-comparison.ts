import { randomBytes, randomUUID } from 'node:crypto';
import { type Db, placeCreditHold, releaseCreditHold, setHoldConversation } from '@compareintel/db';
import { AppError, type TCompareRunInput, type TCompareStarted, TIERS } from '@compareintel/shared';
import { blindLabelsOf, labelOrder, maskRecord } from '../arena/blind-labels';
import { recordBlindRun } from '../arena/blind-runs';
import type { Lifecycle } from '../context';
import {
  createConversationWithinLimit,
  everythingPinned,
  pinsFillTheLimit,
} from '../conversations/create-conversation';
import { drawsOnVisitorPool, visitorDayOf, visitorPoolKeys } from '../credits/credit-pool';
import type { ModelRegistry } from '../models/registry';
import type { LlmGateway, LlmProvider } from '../providers/llm';
import { textTokens } from '../providers/llm/tokens';
import { assessComparison, type ComparisonActor, type ComparisonAssessment } from './assess-comparison';
import { ComparisonRun } from './comparison-run';
import { HoldProgressWriter, initialProgress } from './hold-progress';
import { ownerDigest, type RunEventLog } from './run-events';
import type { ProcessIdentity } from './run-recovery';
import { ownerKeyOf, type RunRegistry } from './run-registry';
import { answerCredits, settleComparison } from './settle-comparison';
import type { WebSearchGateway } from './web-tools';

export interface CompareDeps {
  db: Db;
  models: ModelRegistry;
  llm: LlmGateway;
  /** Search provider and page reader for models that search the web while they answer. */
  webSearch: WebSearchGateway;
  runs: RunRegistry;
  /** Where runs' events go, for subscribers on any API process. */
  runEvents: RunEventLog;
  /** A draining process (shutting down) starts nothing new. */
  lifecycle: Lifecycle;
  instance: ProcessIdentity;
  modelTimeoutMs: number;
  holdTiming: { progressMs: number; leaseMs: number };
  now(): Date;
  log(error: unknown, message: string): void;
  /** Called after a settlement that charged overage (billing reports it to Stripe). */
  onOverageCharged?: () => void;
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
 * Admit and start a comparison: checks (tier, access, conversation), holds the estimated credits in one
 * transaction (a hold row owned by this process, counted on the user's pool and, for visitors and
 * unverified accounts, on the shared visitor pools), saves the prompt, then starts every model at once.
 * Nothing runs upstream before all of that passed. Answers the run to follow (`compare.events`); the run
 * settles itself when its models end, and if this process dies first, any API process settles it from its
 * hold (run-recovery.ts).
 */
export async function startComparison(
  deps: CompareDeps,
  actor: ComparisonActor,
  input: TCompareRunInput,
): Promise<TCompareStarted> {
  if (deps.lifecycle.draining) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'This server is restarting. Please start the comparison again.',
    );
  }
  const run = await launchComparison(deps, actor, input);
  // Answered once the prompt is saved (the models already stream): a failure here was not charged.
  const conversationId = await run.admitted;
  return {
    runId: run.id,
    conversationId,
    runSecret: run.plan.runSecret,
    // A blind run answers its labels, in label order (the order of the models would give them away).
    models: run.plan.blindLabels
      ? labelOrder(run.plan.blindLabels)
      : run.plan.models.map(({ model }) => model.id),
    blind: run.plan.blindLabels !== undefined,
  };
}

/** The provider the assessment chose for a model (it chose one for each). */
function plannedProvider(assessment: ComparisonAssessment, modelId: string): LlmProvider {
  const provider = assessment.providers.get(modelId);
  if (!provider) throw new Error(`no provider was chosen for ${modelId}`);
  return provider;
}

async function launchComparison(
  deps: CompareDeps,
  actor: ComparisonActor,
  input: TCompareRunInput,
): Promise<ComparisonRun> {
  const { db } = deps;
  const now = deps.now();
  // Everything that can fail is read before credits are held.
  const assessment = await assessComparison({ db, models: deps.models, llm: deps.llm, now }, actor, input);
  const { user, estimatedCredits: held, poolSize, allowOverage } = assessment;
  const savedLimit = TIERS[assessment.limitsTier].savedConversations;
  // A new conversation that only a pinned one could make room for is refused, never evicting it.
  if (user && !assessment.conversation && (await pinsFillTheLimit(db.sql, user.id, savedLimit))) {
    throw everythingPinned(savedLimit);
  }
  const plannedModels = assessment.models.map((model) => ({
    model,
    provider: plannedProvider(assessment, model.id),
    messages: assessment.threads.get(model.id)?.messages ?? [],
    promptTokens: assessment.threads.get(model.id)?.promptTokens ?? 0,
    webSearch: assessment.webSearch.searching.has(model.id),
    note: assessment.webSearch.notes.get(model.id) ?? null,
  }));
  const webTools =
    assessment.webSearch.searching.size > 0
      ? deps.webSearch.toolsFor(assessment.webSearch.settings, { userId: user?.id ?? null, ip: actor.ip })
      : null;

  const runId = randomUUID();
  const progress = initialProgress(
    plannedModels.map(({ model, provider, promptTokens }) => ({
      modelId: model.id,
      inputTokens: promptTokens,
      mock: provider.isMock,
    })),
  );
  const sharesVisitorPool = drawsOnVisitorPool(user);
  const admitted = await placeCreditHold(db, {
    id: runId,
    owner: deps.instance.owner,
    leaseExpiresAt: new Date(now.getTime() + deps.holdTiming.leaseMs),
    userId: user?.id ?? null,
    credits: held,
    periodResetAt: user?.credits_reset_at ?? null,
    poolSize,
    allowOverage,
    visitorDay: sharesVisitorPool ? visitorDayOf(now) : null,
    visitorKeys: sharesVisitorPool ? visitorPoolKeys(actor) : [],
    visitorPoolSize: TIERS.anonymous.credits,
    ip: actor.ip,
    fingerprint: actor.fingerprint,
    inputLength: input.prompt.length,
    progress,
  });
  if (!admitted) throw notEnoughCredits(assessment.creditsRemaining, held, user === null);

  const runSecret = user ? null : randomBytes(24).toString('base64url');
  const ownerKey = ownerKeyOf(actor, runSecret) ?? `visitor:${runId}`;
  // A blind run's labels are chosen and stored before anything about it is answered or published.
  const blind = input.blind
    ? blindLabelsOf(
        await recordBlindRun(db, {
          runId,
          userId: user?.id ?? null,
          actor,
          ownerDigest: ownerDigest(ownerKey),
          modelIds: input.models,
        }).catch(async (error: unknown) => {
          await releaseCreditHold(db, runId).catch(() => undefined);
          throw error;
        }),
      )
    : null;
  const names = new Map(assessment.models.map((model) => [model.id, model.name]));
  try {
    await deps.runEvents.open(runId, {
      owner: ownerDigest(ownerKey),
      models: blind ? labelOrder(blind.byLabel) : input.models,
    });
  } catch (error) {
    await releaseCreditHold(db, runId).catch(() => undefined);
    deps.log(error, 'run event log not reachable');
    throw new AppError('SERVICE_UNAVAILABLE', 'Comparisons cannot start right now. You were not charged.');
  }

  // Saved while the models already stream (see RunPlan.conversation).
  const conversation: Promise<number | null> = user
    ? db.transaction(async (sql) => {
        const existing = assessment.conversation;
        let savedId: number;
        if (existing) {
          const modelsUsed = [...new Set([...existing.models_used, ...input.models])];
          await sql.run('update conversations set models_used = ?, updated_at = ? where id = ?', [
            JSON.stringify(modelsUsed),
            new Date(),
            existing.id,
          ]);
          savedId = existing.id;
        } else {
          const created = await createConversationWithinLimit(
            sql,
            {
              userId: user.id,
              inputData: input.prompt,
              // A blind comparison keeps its card order (label order) once the vote names the models.
              modelsUsed: blind
                ? labelOrder(blind.byLabel).map((label) => blind.byLabel.get(label) ?? label)
                : input.models,
              type: 'comparison',
            },
            savedLimit,
          );
          savedId = created.id;
        }
        // A retry answers the saved last prompt again: no new prompt row (its answer is added at settlement
        // and, being the later one, replaces the previous answer on display and in the model's thread).
        if (!input.retry) {
          await sql.run(
            `insert into conversation_messages (conversation_id, model_id, role, content, input_tokens,
               success, created_at)
             values (?, null, 'user', ?, ?, ?, ?)`,
            [savedId, input.prompt, textTokens(input.prompt), true, new Date()],
          );
        }
        // Recovery after a crash saves the answers into it.
        await setHoldConversation(sql, runId, savedId);
        if (blind) await sql.run('update blind_runs set conversation_id = ? where id = ?', [savedId, runId]);
        return savedId;
      })
    : Promise.resolve(null);

  const byId = new Map(assessment.models.map((model) => [model.id, model]));
  const run = new ComparisonRun({
    runId,
    runSecret,
    // A blind run's events carry labels, never ids or names: relabelled here, as they leave the run.
    publish: blind
      ? (record) => deps.runEvents.append(runId, maskRecord(record, blind, names))
      : (record) => deps.runEvents.append(runId, record),
    ...(blind ? { blindLabels: blind.byLabel } : {}),
    progress: new HoldProgressWriter(
      {
        db,
        holdId: runId,
        keepText: user !== null,
        intervalMs: deps.holdTiming.progressMs,
        leaseMs: deps.holdTiming.leaseMs,
        now: deps.now,
        log: deps.log,
      },
      progress,
    ),
    conversation,
    temperature: input.temperature,
    timeoutMs: deps.modelTimeoutMs,
    webTools,
    models: plannedModels,
    answerCredits: (outcome) => answerCredits(outcome, byId.get(outcome.modelId)),
    settle: async (outcomes, processingTimeMs) => {
      const settlement = await settleComparison(
        { db },
        { holdId: runId, userId: user?.id ?? null, models: assessment.models, outcomes, processingTimeMs },
      );
      if (settlement && settlement.overageCredits > 0) deps.onOverageCharged?.();
      // Already settled elsewhere (this process stalled past its lease and another one recovered it).
      return (
        settlement ?? {
          creditsCharged: 0,
          creditsRemaining: assessment.creditsRemaining - held,
          overageCredits: 0,
        }
      );
    },
    onFailure: (error, stage) => {
      deps.log(
        error,
        stage === 'start' ? 'comparison could not be saved' : 'comparison could not be settled',
      );
      if (stage === 'start') {
        void releaseCreditHold(db, runId).catch((releaseError: unknown) =>
          deps.log(releaseError, 'credit hold not released; recovery will settle it'),
        );
        // A rule's refusal (e.g. a pin made at the same instant filled the limit) keeps its own words.
        if (error instanceof AppError) return error;
        return new AppError('INTERNAL', 'Your comparison could not be started. You were not charged for it.');
      }
      // The hold and what streamed stay recorded: the run is settled by recovery once its lease ends.
      return new AppError(
        'INTERNAL',
        'Your comparison could not be saved just now. It will be recorded shortly, charged only for what was streamed.',
      );
    },
  });
  deps.runs.add(run);
  return run;
}
