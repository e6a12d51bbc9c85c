import type { TEvictionPreview } from '@compareintel/shared';
import { promptPreview, summaryTitle } from './conversation-title';
import type { LocalConversation } from './local-history';

export interface ConversationChoice {
  /** The saved conversation's id, or the browser's id of a visitor's. */
  key: string;
  title: string;
  pinned: boolean;
}

/**
 * What a new comparison would delete to stay within the limit, as the EvictionDialog shows it: from the
 * API's preview (signed in), or from this browser's list (visitors keep theirs here, oldest dropped).
 */
export interface EvictionPlan {
  limit: number;
  /** Least recently used first; empty when there is room (or when blocked). */
  evicts: ConversationChoice[];
  /** At the limit with every saved conversation pinned: a new comparison is refused. */
  blocked: boolean;
  /** Saved conversations can be pinned; a visitor's, kept in the browser, cannot. */
  canPin: boolean;
}

export function planFromPreview(preview: TEvictionPreview): EvictionPlan {
  return {
    limit: preview.limit,
    evicts: preview.evicts.map((item) => ({
      key: String(item.id),
      title: summaryTitle(item),
      pinned: false,
    })),
    blocked: preview.blocked,
    canPin: true,
  };
}

export function localChoice(item: LocalConversation): ConversationChoice {
  return { key: item.id, title: item.title ?? promptPreview(item.turns[0]?.prompt ?? ''), pinned: false };
}

/** A visitor's: the browser keeps the `limit` most recently used, so the oldest beyond go. */
export function planFromLocal(local: readonly LocalConversation[], limit: number): EvictionPlan {
  const oldestFirst = [...local].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const excess = Math.max(0, oldestFirst.length + 1 - limit);
  return { limit, evicts: oldestFirst.slice(0, excess).map(localChoice), blocked: false, canPin: false };
}

export function needsConfirmation(plan: EvictionPlan): boolean {
  return plan.blocked || plan.evicts.length > 0;
}
