import { TIERS } from '@compareintel/shared';
import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import { readStored, writeStored } from '../../lib/storage';
import { type ConversationView, ZTurn } from '../compare/conversation-view';

/**
 * Visitors' conversations are not saved by the API: the browser keeps the newest few, as many as the
 * anonymous tier's `savedConversations` (from @compareintel/shared), oldest dropped first.
 */
const STORAGE_KEY = 'compareintel.anonymousConversations';
export const LOCAL_CONVERSATION_LIMIT = TIERS.anonymous.savedConversations;

const ZLocalConversation = z.object({
  id: z.string(),
  title: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  models: z.array(z.string()),
  turns: z.array(ZTurn),
  /** A blind comparison not voted on yet: its run and secret (the vote names the models). */
  blind: z.object({ runId: z.string(), runSecret: z.string().nullable() }).nullable().optional(),
});
export type LocalConversation = z.infer<typeof ZLocalConversation>;
const ZLocalConversations = z.array(ZLocalConversation);

const listeners = new Set<() => void>();
let cache: LocalConversation[] | null = null;

function load(): LocalConversation[] {
  cache ??= readStored(STORAGE_KEY, ZLocalConversations, []);
  return cache;
}

function save(list: LocalConversation[]): void {
  cache = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, LOCAL_CONVERSATION_LIMIT);
  writeStored(STORAGE_KEY, cache);
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    cache = null;
    for (const listener of listeners) listener();
  });
}

export function useLocalConversations(): LocalConversation[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load,
    () => [],
  );
}

export function findLocalConversation(id: string): LocalConversation | null {
  return load().find((item) => item.id === id) ?? null;
}

export function saveLocalConversation(view: ConversationView & { localId: string }): void {
  const now = new Date().toISOString();
  const existing = findLocalConversation(view.localId);
  const entry: LocalConversation = {
    id: view.localId,
    title: existing?.title ?? view.title,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    models: view.models,
    turns: view.turns,
    blind: view.blind,
  };
  save([entry, ...load().filter((item) => item.id !== view.localId)]);
}

export function renameLocalConversation(id: string, title: string): void {
  save(load().map((item) => (item.id === id ? { ...item, title } : item)));
}

export function deleteLocalConversation(id: string): void {
  save(load().filter((item) => item.id !== id));
}

export function viewFromLocal(item: LocalConversation): ConversationView {
  return {
    serverId: null,
    localId: item.id,
    type: 'comparison',
    title: item.title,
    models: item.models,
    turns: item.turns,
    breakoutModelId: null,
    parentConversationId: null,
    blind: item.blind ?? null,
  };
}
