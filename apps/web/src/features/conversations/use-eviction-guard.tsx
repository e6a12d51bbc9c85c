import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { readError } from '../../lib/errors';
import { queryClient, trpc } from '../../lib/trpc';
import { summaryTitle } from './conversation-title';
import { EvictionDialog } from './EvictionDialog';
import {
  type EvictionPlan,
  localChoice,
  needsConfirmation,
  planFromLocal,
  planFromPreview,
} from './eviction-plan';
import { deleteLocalConversation, LOCAL_CONVERSATION_LIMIT, useLocalConversations } from './local-history';

interface Pending {
  plan: EvictionPlan | null;
  proceed: () => void;
}

/**
 * Guards the start of a new comparison: `guard(start)` works out what it would delete to stay within the
 * limit — the API's `conversations.evictionPreview` for a signed-in user, this browser's list for a
 * visitor — and calls `start` at once when nothing, or else shows the EvictionDialog and calls `start`
 * only when the user continues, or once pinning or deleting left nothing to delete. The API still
 * decides at admission; this makes sure nothing is deleted without a word.
 */
export function useEvictionGuard(signedIn: boolean) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const local = useLocalConversations();
  const list = useQuery(
    trpc.conversations.list.queryOptions({ limit: 100 }, { enabled: signedIn && pending !== null }),
  );

  const readPlan = async (): Promise<EvictionPlan> =>
    signedIn
      ? planFromPreview(
          await queryClient.fetchQuery({
            ...trpc.conversations.evictionPreview.queryOptions(),
            staleTime: 0,
          }),
        )
      : planFromLocal(local, LOCAL_CONVERSATION_LIMIT);

  /** Start now if nothing would be deleted; otherwise (re)open the dialog with what would be. */
  const decide = async (proceed: () => void, plan?: EvictionPlan) => {
    const next = plan ?? (await readPlan());
    if (needsConfirmation(next)) {
      setPending({ plan: next, proceed });
    } else {
      setPending(null);
      proceed();
    }
  };
  const failed = (proceed: () => void, cause: unknown) => {
    setError(readError(cause).message);
    setPending((current) => current ?? { plan: null, proceed });
  };

  const guard = (proceed: () => void) => {
    setError(null);
    setChecking(true);
    decide(proceed)
      .catch((cause: unknown) => failed(proceed, cause))
      .finally(() => setChecking(false));
  };

  const afterChange = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
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

  const saved = signedIn
    ? (list.data?.items ?? []).map((item) => ({
        key: String(item.id),
        title: summaryTitle(item),
        pinned: item.pinned,
      }))
    : local.map(localChoice);

  const dialog = (
    <EvictionDialog
      open={pending !== null}
      plan={pending?.plan ?? null}
      saved={saved}
      busy={pin.isPending || remove.isPending}
      error={error}
      onCancel={() => setPending(null)}
      onPin={(key) => {
        setError(null);
        pin.mutate({ id: Number(key), pinned: true });
      }}
      onDelete={(key) => {
        setError(null);
        if (signedIn) {
          remove.mutate({ id: Number(key) });
        } else if (pending) {
          deleteLocalConversation(key);
          void decide(
            pending.proceed,
            planFromLocal(
              local.filter((item) => item.id !== key),
              LOCAL_CONVERSATION_LIMIT,
            ),
          );
        }
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
