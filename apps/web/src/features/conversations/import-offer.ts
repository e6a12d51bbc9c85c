import type { TImportedConversation } from '@compareintel/shared';
import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import { readStored, removeStored, writeStored } from '../../lib/storage';
import type { LocalConversation } from './local-history';

/**
 * Whether to offer a visitor's conversations (kept in this browser) to the account just signed in to.
 * Set by sign-up and sign-in, cleared by "Not now" or once imported: kept for this tab (sessionStorage),
 * so a reload offers again but later page loads of the same session don't nag, and the next sign-in
 * offers anew.
 */
const STORAGE_KEY = 'compareintel.importOffer';
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function read(): boolean {
  return readStored(STORAGE_KEY, z.boolean(), false, 'session');
}

/** After a sign-up or sign-in: offer this browser's conversations (if any) to the account. */
export function offerImport(): void {
  writeStored(STORAGE_KEY, true, 'session');
  notify();
}

export function dismissImportOffer(): void {
  removeStored(STORAGE_KEY, 'session');
  notify();
}

export function useImportOffered(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => false,
  );
}

/** A conversation kept in this browser, in the shape `conversations.import` takes. */
export function toImported(item: LocalConversation): TImportedConversation {
  return {
    localId: item.id,
    title: item.title,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    models: item.models,
    // A turn whose run never started has no answers and may repeat a prompt: both are kept as they are.
    turns: item.turns.map((turn) => ({
      prompt: turn.prompt,
      answers: Object.fromEntries(
        Object.entries(turn.answers).filter(([modelId]) => item.models.includes(modelId)),
      ),
    })),
  };
}
