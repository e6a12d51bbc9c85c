import { TIERS } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Callout } from '../../components/Callout';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { readError } from '../../lib/errors';
import { Link, navigate, useLocation } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { useTimeZone } from '../preferences/use-preferences';
import { promptPreview, summaryTitle } from './conversation-title';
import { type HistoryEntry, HistoryItem } from './HistoryItem';
import { offerImport, useImportOffered } from './import-offer';
import {
  deleteLocalConversation,
  LOCAL_CONVERSATION_LIMIT,
  renameLocalConversation,
  useLocalConversations,
} from './local-history';

function useHistoryEntries(signedIn: boolean) {
  const catalogue = useQuery(trpc.models.list.queryOptions());
  const list = useQuery(trpc.conversations.list.queryOptions({ limit: 100 }, { enabled: signedIn }));
  const local = useLocalConversations();
  const byId = useMemo(
    () => new Map(catalogue.data?.models.map((model) => [model.id, model]) ?? []),
    [catalogue.data],
  );
  const describe = (ids: readonly string[]) => ({
    providers: ids.map((id) => byId.get(id)?.provider ?? id.split('/')[0] ?? id),
    modelNames: ids.map((id) => byId.get(id)?.name ?? id),
  });
  const entries: HistoryEntry[] = signedIn
    ? (list.data?.items ?? [])
        .map((item) => ({
          key: String(item.id),
          href: `/c/${item.id}`,
          title: summaryTitle(item),
          customTitle: item.title,
          updatedAt: item.updatedAt,
          breakout: item.type === 'breakout',
          pinned: item.pinned,
          ...describe(item.modelsUsed),
        }))
        // Pinned first, each group most recently used first (the API's order; sort is stable).
        .sort((a, b) => Number(b.pinned) - Number(a.pinned))
    : local.map((item) => ({
        key: item.id,
        href: `/local/${item.id}`,
        title: item.title ?? promptPreview(item.turns[0]?.prompt ?? ''),
        customTitle: item.title,
        updatedAt: item.updatedAt,
        breakout: false,
        pinned: null,
        ...describe(item.models),
      }));
  const limit = signedIn ? (list.data?.limit ?? null) : LOCAL_CONVERSATION_LIMIT;
  // Signed in, a visitor's conversations still in this browser are not in the list: say so.
  const localLeft = signedIn ? local.length : 0;
  return { entries, limit, localLeft, isPending: signedIn && list.isPending, error: list.error };
}

/** Saved comparisons (the API for users, this browser for visitors), newest first, with the tier's limit. */
export function HistorySidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { user } = useSession();
  const signedIn = user !== null;
  const { pathname } = useLocation();
  const { entries, limit, localLeft, isPending, error } = useHistoryEntries(signedIn);
  const importOffered = useImportOffered();
  const timeZone = useTimeZone();
  const [pendingDelete, setPendingDelete] = useState<HistoryEntry | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
  const rename = useMutation(
    trpc.conversations.rename.mutationOptions({
      onSuccess: refreshList,
      onError: (e) => setActionError(readError(e).message),
    }),
  );
  const pin = useMutation(
    trpc.conversations.setPinned.mutationOptions({
      onSuccess: refreshList,
      onError: (e) => setActionError(readError(e).message),
    }),
  );
  const remove = useMutation(
    trpc.conversations.delete.mutationOptions({
      onSuccess: refreshList,
      onError: (e) => setActionError(readError(e).message),
    }),
  );

  const confirmDelete = async () => {
    const entry = pendingDelete;
    if (!entry) return;
    if (signedIn) await remove.mutateAsync({ id: Number(entry.key) }).catch(() => undefined);
    else deleteLocalConversation(entry.key);
    setPendingDelete(null);
    if (pathname === entry.href) navigate('/');
  };

  return (
    <nav className="sidebar" aria-label="History">
      <Link href="/" className="btn btn-primary sidebar-new" onClick={onNavigate}>
        <Icon name="plus" size={16} />
        New comparison
      </Link>
      <div className="sidebar-head">
        <h2>History</h2>
        {limit !== null ? (
          <span className="muted" data-testid="history-count">
            {entries.length} of {limit} saved
          </span>
        ) : null}
      </div>
      {actionError ? (
        <Callout tone="error" onDismiss={() => setActionError(null)}>
          {actionError}
        </Callout>
      ) : null}
      {error ? <p className="muted">{readError(error).message}</p> : null}
      {localLeft > 0 && !importOffered ? (
        <p className="muted sidebar-local" data-testid="history-local-left">
          {localLeft === 1 ? '1 comparison' : `${localLeft} comparisons`} from before you signed in{' '}
          {localLeft === 1 ? 'is' : 'are'} only in this browser.{' '}
          <button type="button" className="link-button" onClick={offerImport}>
            Import {localLeft === 1 ? 'it' : 'them'}
          </button>
        </p>
      ) : null}
      {isPending ? <p className="muted sidebar-empty">Loading…</p> : null}
      {!isPending && entries.length === 0 ? (
        <p className="muted sidebar-empty">Your comparisons will appear here.</p>
      ) : null}
      <ul className="history-list">
        {entries.map((entry) => (
          <HistoryItem
            key={entry.key}
            entry={entry}
            active={pathname === entry.href}
            timeZone={timeZone}
            renaming={rename.isPending && rename.variables?.id === Number(entry.key)}
            onRename={(title) => {
              setActionError(null);
              if (signedIn) rename.mutate({ id: Number(entry.key), title });
              else renameLocalConversation(entry.key, title);
            }}
            onDelete={() => setPendingDelete(entry)}
            onTogglePin={
              signedIn
                ? () => pin.mutate({ id: Number(entry.key), pinned: entry.pinned !== true })
                : undefined
            }
          />
        ))}
      </ul>
      <p className="sidebar-foot muted">
        {signedIn
          ? 'At the limit, a new comparison makes room by deleting the least recently used conversation that is not pinned; you are asked first.'
          : `Kept in this browser only (${TIERS.anonymous.label.toLowerCase()} visitors keep ${LOCAL_CONVERSATION_LIMIT}). `}
        {signedIn ? null : <Link href="/signup">Sign up to save more.</Link>}
      </p>
      <ConfirmDialog
        open={pendingDelete !== null}
        title="Delete this conversation?"
        confirmLabel="Delete"
        danger
        busy={remove.isPending}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPendingDelete(null)}
      >
        <p>“{pendingDelete?.title}” and every answer in it will be gone for good.</p>
      </ConfirmDialog>
    </nav>
  );
}
