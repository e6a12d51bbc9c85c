import type { TEvictionPreview } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { readError } from '../../lib/errors';
import { queryClient, trpc } from '../../lib/trpc';
import { summaryTitle } from './conversation-title';
import { EvictionDialog } from './EvictionDialog';

interface Pending {
  preview: TEvictionPreview | null;
  proceed: () => void;
}

function readPreview(): Promise<TEvictionPreview> {
  return queryClient.fetchQuery({ ...trpc.conversations.evictionPreview.queryOptions(), staleTime: 0 });
}

/**
 * Guards the start of a new comparison for a signed-in user: `guard(start)` asks the API what the
 * comparison would delete (`conversations.evictionPreview`) and calls `start` at once when nothing, or
 * else shows the EvictionDialog and calls `start` only when the user continues, or once pinning or
 * deleting left nothing to delete. The API still decides at admission; this only makes sure nothing is
 * deleted without a word.
 */
export function useEvictionGuard(signedIn: boolean) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useQuery(
    trpc.conversations.list.queryOptions({ limit: 100 }, { enabled: signedIn && pending !== null }),
  );
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });

  /** Start now if nothing would be deleted; otherwise (re)open the dialog with what would be. */
  const decide = async (proceed: () => void) => {
    const preview = await readPreview();
    if (preview.evicts.length === 0 && !preview.blocked) {
      setPending(null);
      proceed();
    } else {
      setPending({ preview, proceed });
    }
  };
  const failed = (proceed: () => void, cause: unknown) => {
    setError(readError(cause).message);
    setPending((current) => current ?? { preview: null, proceed });
  };

  const guard = (proceed: () => void) => {
    if (!signedIn) {
      proceed();
      return;
    }
    setError(null);
    setChecking(true);
    decide(proceed)
      .catch((cause: unknown) => failed(proceed, cause))
      .finally(() => setChecking(false));
  };

  const afterChange = async () => {
    await refreshList();
    if (pending) await decide(pending.proceed).catch((cause: unknown) => failed(pending.proceed, cause));
  };
  const pin = useMutation(
    trpc.conversations.setPinned.mutationOptions({
      onSuccess: afterChange,
      onError: (cause) => setError(readError(cause).message),
    }),
  );
  const remove = useMutation(
    trpc.conversations.delete.mutationOptions({
      onSuccess: afterChange,
      onError: (cause) => setError(readError(cause).message),
    }),
  );

  const dialog = (
    <EvictionDialog
      open={pending !== null}
      preview={pending?.preview ?? null}
      saved={(list.data?.items ?? []).map((item) => ({
        id: item.id,
        title: summaryTitle(item),
        pinned: item.pinned,
      }))}
      busy={pin.isPending || remove.isPending}
      error={error}
      onCancel={() => setPending(null)}
      onPin={(id) => {
        setError(null);
        pin.mutate({ id, pinned: true });
      }}
      onDelete={(id) => {
        setError(null);
        remove.mutate({ id });
      }}
      onContinue={() => {
        const proceed = pending?.proceed;
        setPending(null);
        proceed?.();
      }}
    />
  );
  return { guard, checking, dialog };
}
