import type { Conversation, Db, User } from '@compareintel/db';
import {
  AppError,
  canUseModelAccess,
  estimateComparisonCredits,
  expectedOutputTokens,
  minimumTierForAccess,
  type TCompareRunInput,
  TIER_IDS,
  TIERS,
  type TierId,
  type TSearchProvider,
  webSearchEstimate,
} from '@compareintel/shared';
import { providerOf, storedKey } from '../admin/app-settings';
import { assertRevealed } from '../arena/blind-runs';
import { findOwnConversation } from '../conversations/own-conversation';
import {
  drawsOnVisitorPool,
  limitsTierOf,
  poolSizeOf,
  refreshCreditPeriod,
  visitorCreditsUsed,
} from '../credits/credit-pool';
import { assertModelsAvailable } from '../models/model-availability';
import type { ModelRegistry, RegisteredModel } from '../models/registry';
import type { ChatMessage, LlmGateway, LlmProvider } from '../providers/llm';
import { recentMedianOutputs } from './expected-output';
import { buildModelThread, type StoredMessage } from './model-thread';

/** Who is comparing: a signed-in user, or an anonymous visitor known by IP and browser fingerprint. */
export interface ComparisonActor {
  user: User | null;
  ip: string;
  fingerprint: string | null;
}

export interface ComparisonAssessment {
  limitsTier: TierId;
  models: RegisteredModel[];
  conversation: Conversation | null;
  threads: Map<string, { messages: ChatMessage[]; promptTokens: number }>;
  /** Who answers each model: the mock (staff testing, visitors' mock setting, no API key) or upstream. */
  providers: Map<string, LlmProvider>;
  estimatedCredits: number;
  /** Pool left before this run. */
  creditsRemaining: number;
  poolSize: number;
  /** A paid tier that opted in to overage this period may spend past the pool, up to its cap. */
  allowOverage: boolean;
  /** Overage credits the cap has left (0 without overage). */
  overageCreditsLeft: number;
  /** The actor after a pool reset, when one was due. */
  user: User | null;
  /** Web search for this run: which models search, and what the others' cards say. */
  webSearch: WebSearchPlan;
}

/** The app's web search settings, as a run needs them. */
export interface WebSearchSettings {
  /** On in settings, with a provider and its API key. */
  enabled: boolean;
  provider: TSearchProvider | null;
  config: Record<string, unknown> | null;
}

export interface WebSearchPlan {
  settings: WebSearchSettings;
  /** Models offered the web tools. */
  searching: Set<string>;
  /** Per model that was asked to search but will not: why (shown on its card). */
  notes: Map<string, string>;
}

/**
 * The one app_settings row's mock and web search switches (one read per comparison): search is on only
 * with a provider and its key, the same rule staff settings enforce.
 */
export async function readRunSettings(db: Db): Promise<{ visitorMock: boolean; web: WebSearchSettings }> {
  const row = await db.models.AppSetting.query().findById(1);
  const config = row?.search_provider_config ?? null;
  const provider = providerOf(row?.active_search_provider ?? null);
  return {
    visitorMock: Boolean(row?.anonymous_mock_mode_enabled),
    web: {
      enabled: Boolean(row?.web_search_enabled) && provider !== null && storedKey(config) !== null,
      provider,
      config,
    },
  };
}

/** Which models search (asked for, on in settings, supported by the model); the others' cards say why not. */
function planWebSearch(
  asked: boolean,
  settings: WebSearchSettings,
  models: readonly RegisteredModel[],
  providers: ReadonlyMap<string, LlmProvider>,
): WebSearchPlan {
  const plan: WebSearchPlan = { settings, searching: new Set(), notes: new Map() };
  if (!asked) return plan;
  for (const model of models) {
    if (!settings.enabled) {
      plan.notes.set(model.id, 'Web search is turned off on this site, so this answer did not search.');
    } else if (!model.supportsWebSearch) {
      plan.notes.set(model.id, `${model.name} cannot search the web; it answered from what it knows.`);
    } else if (providers.get(model.id)?.isMock) {
      plan.notes.set(model.id, 'Mock answers do not search the web.');
    } else {
      plan.searching.add(model.id);
    }
  }
  return plan;
}

function smallestTierWith(models: number): TierId {
  return TIER_IDS.find((id) => id !== 'anonymous' && TIERS[id].modelsPerComparison >= models) ?? 'pro_plus';
}

function resolveModels(
  registry: ModelRegistry,
  ids: readonly string[],
  limitsTier: TierId,
  user: User | null,
) {
  const limit = TIERS[limitsTier].modelsPerComparison;
  if (ids.length > limit) {
    const unverified = user !== null && !user.is_verified;
    throw new AppError(
      'FORBIDDEN',
      unverified
        ? `Verify your email to compare more than ${limit} models at once.`
        : `Your plan compares up to ${limit} models at once.`,
      { requiredTier: smallestTierWith(ids.length) },
    );
  }
  return ids.map((id) => {
    const model = registry.get(id);
    if (!model) throw new AppError('BAD_REQUEST', `Unknown model: ${id}`);
    if (!canUseModelAccess(limitsTier, model.access)) {
      const requiredTier = minimumTierForAccess(model.access);
      const reason =
        requiredTier === 'free'
          ? user
            ? 'verify your email to use it'
            : 'sign up for a free account to use it'
          : `it needs the ${TIERS[requiredTier].label} plan or higher`;
      throw new AppError('FORBIDDEN', `${model.name} is not available to you: ${reason}.`, { requiredTier });
    }
    return model;
  });
}

async function loadHistory(
  db: Db,
  user: User | null,
  conversationId: number | undefined,
): Promise<{ conversation: Conversation | null; history: StoredMessage[] }> {
  if (conversationId === undefined) return { conversation: null, history: [] };
  const conversation = await findOwnConversation(db, user, conversationId);
  await assertRevealed(db, conversation.id);
  const rows = await db.models.ConversationMessage.query()
    .where('conversation_id', conversation.id)
    .orderBy('id');
  const history: StoredMessage[] = rows.map((row) => ({
    id: row.id,
    role: row.role === 'user' ? 'user' : 'assistant',
    modelId: row.model_id,
    content: row.content,
    success: row.success,
  }));
  return { conversation, history };
}

/**
 * A retry answers the conversation's last prompt again: the model's thread is everything before that
 * prompt (so not its previous answer to it), and the prompt must be the one the client saw.
 */
function historyBeforeLastPrompt(history: StoredMessage[], prompt: string): StoredMessage[] {
  const last = history.findLastIndex((message) => message.role === 'user');
  if (last < 0 || history[last]?.content !== prompt) {
    throw new AppError(
      'BAD_REQUEST',
      'This conversation has a newer prompt than the one you retried. Reload it and try again.',
    );
  }
  return history.slice(0, last);
}

/**
 * Everything decided before any upstream call: the tier's model limit and model access (FORBIDDEN),
 * the conversation (NOT_FOUND), each model's trimmed thread, the credit estimate and the pool left.
 * It refuses nothing for credits: callers decide (estimate answers, run refuses).
 */
export async function assessComparison(
  { db, models: registry, llm, now }: { db: Db; models: ModelRegistry; llm: LlmGateway; now: Date },
  actor: ComparisonActor,
  input: Pick<
    TCompareRunInput,
    'models' | 'prompt' | 'conversationId' | 'systemPrompt' | 'retry' | 'webSearch'
  >,
): Promise<ComparisonAssessment> {
  const user = actor.user ? await refreshCreditPeriod({ db, now }, actor.user) : null;
  const limitsTier = user ? limitsTierOf(user) : 'anonymous';
  const models = resolveModels(registry, input.models, limitsTier, user);
  await assertModelsAvailable(db, models);
  const loaded = await loadHistory(db, user, input.conversationId);
  const { conversation } = loaded;
  const history = input.retry ? historyBeforeLastPrompt(loaded.history, input.prompt) : loaded.history;
  const only = conversation?.conversation_type === 'breakout' ? conversation.breakout_model_id : null;
  if (only && input.models.some((id) => id !== only)) {
    throw new AppError('BAD_REQUEST', `This conversation continues with ${only} only.`);
  }

  const threads = new Map(
    models.map((model) => [
      model.id,
      buildModelThread({ model, history, prompt: input.prompt, systemPrompt: input.systemPrompt }),
    ]),
  );
  const settings = await readRunSettings(db);
  const mock = user ? user.mock_mode_enabled : settings.visitorMock;
  const providers = new Map(models.map((model) => [model.id, llm.providerFor(model, { mock })]));
  const webSearch = planWebSearch(input.webSearch === true, settings.web, models, providers);
  // Expected output per model: its recent median answer, else a guess from its prompt (see credits.ts).
  // The hold is this estimate; an answer longer than it is still charged only up to what the pool (and
  // an overage cap) can cover at settlement, so a low estimate never lets a run spend past the pool.
  const medians = await recentMedianOutputs(
    db,
    models.map((model) => model.id),
    now.getTime(),
  );
  const estimatedCredits = estimateComparisonCredits({
    promptTokens: 0,
    models: models.map((model) => {
      const promptTokens = threads.get(model.id)?.promptTokens ?? 0;
      // A searching model may read tool results and pay for searches: held at their most.
      const search = webSearch.searching.has(model.id) ? webSearchEstimate(promptTokens) : null;
      return {
        // Mock answers are metered by tokens alone (as answerCredits charges them), not list prices.
        pricing: providers.get(model.id)?.isMock ? null : model.pricing,
        maxCompletionTokens: model.maxCompletionTokens,
        promptTokens: search?.promptTokens ?? promptTokens,
        extraCredits: search?.extraCredits ?? 0,
        expectedOutputTokens: expectedOutputTokens({
          promptTokens,
          recentMedian: medians.get(model.id) ?? null,
        }),
      };
    }),
  });

  const poolSize = user ? poolSizeOf(user) : TIERS.anonymous.credits;
  let creditsRemaining = user ? poolSize - user.credits_used_this_period : poolSize;
  if (drawsOnVisitorPool(user)) {
    // Visitors and unverified accounts share the daily pool of their IP address and fingerprint.
    const visitorLeft = TIERS.anonymous.credits - (await visitorCreditsUsed({ db, now }, actor));
    creditsRemaining = Math.min(creditsRemaining, visitorLeft);
  }
  const overage =
    user && TIERS[limitsTier].paid
      ? await db.sql.first<{ enabled: boolean | number; cap_credits: number; credits_used: number }>(
          'select enabled, cap_credits, credits_used from overage_settings where user_id = ?',
          [user.id],
        )
      : undefined;
  const allowOverage = Boolean(overage?.enabled);
  return {
    limitsTier,
    models,
    conversation,
    threads,
    providers,
    estimatedCredits,
    creditsRemaining,
    poolSize,
    allowOverage,
    overageCreditsLeft: overage && allowOverage ? Math.max(0, overage.cap_credits - overage.credits_used) : 0,
    user,
    webSearch,
  };
}
