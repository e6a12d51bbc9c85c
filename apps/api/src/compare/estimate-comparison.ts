import type { TCompareEstimateInput } from '@compareintel/shared';
import { TIERS } from '@compareintel/shared';
import { assessComparison, type ComparisonActor } from './assess-comparison';
import type { CompareDeps } from './start-comparison';

/** What a comparison would cost the caller, and whether they can afford it now. Nothing is held. */
export async function estimateComparison(
  deps: Pick<CompareDeps, 'db' | 'models' | 'llm' | 'now'>,
  actor: ComparisonActor,
  input: TCompareEstimateInput,
) {
  const assessment = await assessComparison(
    { db: deps.db, models: deps.models, llm: deps.llm, now: deps.now() },
    actor,
    input,
  );
  // Runs in flight are already counted: their holds are in the pools.
  const { creditsRemaining } = assessment;
  return {
    credits: assessment.estimatedCredits,
    creditsRemaining,
    canAfford:
      creditsRemaining >= assessment.estimatedCredits ||
      (assessment.allowOverage &&
        assessment.estimatedCredits - Math.max(0, creditsRemaining) <= assessment.overageCreditsLeft),
    modelsPerComparison: TIERS[assessment.limitsTier].modelsPerComparison,
  };
}
