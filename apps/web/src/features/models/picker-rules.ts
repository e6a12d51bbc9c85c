import { TIER_IDS, TIERS, type TierId } from '@compareintel/shared';

/** The fields the picker's rules read; the API's model entries fit. */
export interface PickableModel {
  id: string;
  name: string;
  provider: string;
  category: string;
  available: boolean;
  unavailableReason: string | null;
  requiredTier: TierId | null;
}

export interface ProviderGroup<M extends PickableModel> {
  provider: string;
  models: M[];
}

/** Models matching every word of `query` (name, id, provider or category), grouped by provider A→Z. */
export function groupByProvider<M extends PickableModel>(
  models: readonly M[],
  query: string,
): ProviderGroup<M>[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, M[]>();
  for (const model of models) {
    const haystack = `${model.name} ${model.id} ${model.provider} ${model.category}`.toLowerCase();
    if (!words.every((word) => haystack.includes(word))) continue;
    const list = groups.get(model.provider) ?? [];
    list.push(model);
    groups.set(model.provider, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, list]) => ({
      provider,
      // Models the caller can use first, then by name.
      models: [...list].sort(
        (a, b) => Number(b.available) - Number(a.available) || a.name.localeCompare(b.name),
      ),
    }));
}

/** The cheapest registered tier that compares more than `limit` models, if any. */
export function tierAbove(limit: number): TierId | null {
  return TIER_IDS.find((id) => id !== 'anonymous' && TIERS[id].modelsPerComparison > limit) ?? null;
}

export function limitMessage(limit: number): string {
  const next = tierAbove(limit);
  const upgrade = next
    ? ` Upgrade to ${TIERS[next].label} to compare up to ${TIERS[next].modelsPerComparison}.`
    : '';
  return `You can compare up to ${limit} models at once. Remove one first.${upgrade}`;
}

export type ToggleOutcome = { ok: true; selection: string[] } | { ok: false; reason: string };

/** Add or remove a model, refusing a locked model or one past the tier's limit with a sentence. */
export function toggleModel(
  selection: readonly string[],
  model: PickableModel,
  limit: number,
): ToggleOutcome {
  if (selection.includes(model.id)) return { ok: true, selection: selection.filter((id) => id !== model.id) };
  if (!model.available) {
    const tier = model.requiredTier ? TIERS[model.requiredTier].label : null;
    return {
      ok: false,
      reason:
        `${model.name} is locked. ${model.unavailableReason ?? (tier ? `Needs the ${tier} plan.` : '')}`.trim(),
    };
  }
  if (selection.length >= limit) return { ok: false, reason: limitMessage(limit) };
  return { ok: true, selection: [...selection, model.id] };
}

/** Preferred (or last used) models that still exist and are available, capped at the limit. */
export function initialSelection(
  wanted: readonly string[],
  models: readonly PickableModel[],
  limit: number,
): string[] {
  const usable = new Set(models.filter((model) => model.available).map((model) => model.id));
  return [...new Set(wanted)].filter((id) => usable.has(id)).slice(0, limit);
}

/** The label of the tier that unlocks a model: "Free" (sign up) or a plan name. */
export function lockLabel(model: PickableModel): string | null {
  if (model.available || !model.requiredTier) return null;
  return model.requiredTier === 'free' ? 'Sign up' : TIERS[model.requiredTier].label;
}
