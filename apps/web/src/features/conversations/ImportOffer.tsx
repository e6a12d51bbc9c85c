import type { TImportConversationsResult } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { readError } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { dismissImportOffer, toImported, useImportOffered } from './import-offer';
import { deleteLocalConversation, useLocalConversations } from './local-history';

const comparisons = (count: number) => `${count} comparison${count === 1 ? '' : 's'}`;

/** What an import did, in a sentence or two. */
export function importSummary(result: TImportConversationsResult): string {
  const moved = result.results.filter((r) => r.outcome !== 'over_limit').length;
  const left = result.results.length - moved;
  const parts = [
    moved > 0
      ? `${comparisons(moved)} from this browser ${moved === 1 ? 'is' : 'are'} now in your account.`
      : '',
    left > 0
      ? `${comparisons(left)} did not fit: your plan keeps ${result.limit} saved conversations. ${left === 1 ? 'It stays' : 'They stay'} in this browser; delete a saved one to make room.`
      : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The offer itself: how many, Import or Not now. */
export function ImportOfferCard({
  count,
  busy,
  error,
  onImport,
  onLater,
}: {
  count: number;
  busy: boolean;
  error: string | null;
  onImport: () => void;
  onLater: () => void;
}) {
  return (
    <Callout
      tone="info"
      testId="import-offer"
      title={`Import your ${comparisons(count)} from this browser into your account?`}
      actions={
        <>
          <button type="button" className="btn btn-primary btn-sm" onClick={onImport} disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={onLater} disabled={busy}>
            Not now
          </button>
        </>
      }
    >
      {error ? (
        <p role="alert">{error}</p>
      ) : (
        <p>
          You made {count === 1 ? 'it' : 'them'} before signing in. Imported,{' '}
          {count === 1 ? 'it keeps' : 'they keep'} {count === 1 ? 'its' : 'their'} answers and count toward
          your saved conversations; nothing is charged.
        </p>
      )}
    </Callout>
  );
}

/**
 * After sign-up or sign-in, the visitor's conversations kept in this browser are offered to the account.
 * Imported (or already imported) ones leave this browser; those over the plan's limit stay. "Not now"
 * keeps them here and asks again at the next sign-in (or from the history sidebar).
 */
export function ImportOffer() {
  const { user } = useSession();
  const offered = useImportOffered();
  // A blind comparison not voted on yet stays in the browser: only its labels are known here.
  const local = useLocalConversations().filter((item) => !item.blind);
  const [summary, setSummary] = useState<string | null>(null);
  const importing = useMutation(
    trpc.conversations.import.mutationOptions({
      onSuccess: (result) => {
        for (const item of result.results) {
          if (item.outcome === 'over_limit') continue;
          deleteLocalConversation(item.localId);
          // The page showing it from this browser follows it to the account.
          if (window.location.pathname === `/local/${item.localId}` && item.conversationId !== null) {
            navigate(`/c/${item.conversationId}`, { replace: true });
          }
        }
        dismissImportOffer();
        setSummary(importSummary(result));
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
      },
    }),
  );

  if (summary) {
    return (
      <Callout tone="success" testId="import-result" onDismiss={() => setSummary(null)}>
        {summary}
      </Callout>
    );
  }
  if (!user || !offered || local.length === 0) return null;
  return (
    <ImportOfferCard
      count={local.length}
      busy={importing.isPending}
      error={importing.error ? readError(importing.error).message : null}
      onImport={() => importing.mutate({ conversations: local.map(toImported) })}
      onLater={dismissImportOffer}
    />
  );
}
