import type { TConversationSummary } from '@compareintel/shared';

/** The start of a prompt, on one line, for a list. */
export function promptPreview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 70)}…` : flat || 'Untitled';
}

/** What a saved conversation is called in lists: its title, else the start of its first prompt. */
export function summaryTitle(item: Pick<TConversationSummary, 'title' | 'preview'>): string {
  return item.title ?? promptPreview(item.preview);
}
