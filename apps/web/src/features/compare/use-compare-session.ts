import type { TCompareRunInput, TPublicUser } from '@compareintel/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReadableError } from '../../lib/errors';
import { randomId } from '../../lib/ids';
import { navigate } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { refreshAfterRun } from '../auth/session';
import { findLocalConversation, saveLocalConversation, viewFromLocal } from '../conversations/local-history';
import { setAnonymousCreditsRemaining } from '../credits/anonymous-credits';
import type { RunOptions } from './Composer';
import { type ComparisonRunHandle, startComparisonRun } from './comparison-run';
import { type ConversationView, emptyView, storedFromLive, viewFromDetail } from './conversation-view';
import type { RunStore } from './run-store';

export interface CompareRoute {
  serverId: number | null;
  localId: string | null;
}

function saveIfLocal(view: ConversationView): void {
  if (view.localId !== null) saveLocalConversation({ ...view, localId: view.localId });
}

/**
 * The compare page's state machine: which conversation is shown (from the route, the API or this
 * browser), the run in flight, and what a refusal said. A new comparison becomes a saved conversation
 * without remounting: the route follows the run, not the other way round.
 */
export function useCompareSession(
  route: CompareRoute,
  user: TPublicUser | null,
  fingerprint: string | undefined,
) {
  const [view, setViewState] = useState<ConversationView | null>(null);
  const viewRef = useRef<ConversationView | null>(null);
  const [run, setRunState] = useState<ComparisonRunHandle | null>(null);
  const runRef = useRef<ComparisonRunHandle | null>(null);
  const [refusal, setRefusal] = useState<{ error: ReadableError; prompt: string } | null>(null);
  const [missing, setMissing] = useState(false);
  const previousRoute = useRef<'/' | 'conversation' | null>(null);

  const setView = useCallback((next: ConversationView | null) => {
    viewRef.current = next;
    setViewState(next);
  }, []);
  const setRun = useCallback((next: ComparisonRunHandle | null) => {
    runRef.current = next;
    setRunState(next);
  }, []);
  const leaveRun = useCallback(() => {
    runRef.current?.close();
    setRun(null);
  }, [setRun]);

  const wantsServer = route.serverId !== null && view?.serverId !== route.serverId;
  const detail = useQuery(
    trpc.conversations.get.queryOptions(
      { id: route.serverId ?? 0 },
      { enabled: wantsServer && user !== null },
    ),
  );

  useEffect(() => {
    const current = viewRef.current;
    if (route.serverId !== null) {
      if (current?.serverId === route.serverId) return;
      if (runRef.current) leaveRun();
      setMissing(false);
      setView(detail.data?.id === route.serverId ? viewFromDetail(detail.data) : null);
      return;
    }
    if (route.localId !== null) {
      if (current?.localId === route.localId) return;
      if (runRef.current) leaveRun();
      const item = findLocalConversation(route.localId);
      setMissing(item === null);
      setView(item ? viewFromLocal(item) : null);
      return;
    }
    setMissing(false);
    // Arriving at "/" from a conversation starts afresh (a run that just began on "/" stays).
    if (previousRoute.current !== '/' && current) {
      leaveRun();
      setView(null);
    }
  }, [route.serverId, route.localId, detail.data, leaveRun, setView]);

  useEffect(() => {
    previousRoute.current = route.serverId !== null || route.localId !== null ? 'conversation' : '/';
  }, [route.serverId, route.localId]);

  // Leaving the page leaves the run (the API stops its models and keeps what they wrote).
  useEffect(() => () => runRef.current?.close(), []);

  const commit = useCallback(
    (store: RunStore) => {
      const current = viewRef.current;
      if (!current) return;
      const turns = [...current.turns];
      const last = turns.at(-1);
      if (last) {
        const answers = { ...last.answers };
        for (const answer of store.allAnswers()) answers[answer.modelId] = storedFromLive(answer);
        turns[turns.length - 1] = { ...last, answers };
      }
      const next = { ...current, turns };
      setView(next);
      saveIfLocal(next);
      if (next.serverId !== null) {
        queryClient.removeQueries({ queryKey: trpc.conversations.get.queryKey({ id: next.serverId }) });
      }
    },
    [setView],
  );

  const send = useCallback(
    (prompt: string, models: string[], options: RunOptions) => {
      const current = viewRef.current;
      const continuing = current !== null && current.turns.length > 0;
      const base = continuing ? current : { ...emptyView(models), localId: user ? null : randomId() };
      const runModels = continuing ? base.models : models;
      const next: ConversationView = { ...base, turns: [...base.turns, { prompt, answers: {} }] };
      setView(next);
      setRefusal(null);
      const systemPrompt = options.systemPrompt.trim();
      const input: TCompareRunInput = {
        models: runModels,
        prompt,
        ...(next.serverId !== null ? { conversationId: next.serverId } : {}),
        ...(options.temperature !== null ? { temperature: options.temperature } : {}),
        ...(systemPrompt ? { systemPrompt } : {}),
        ...(user === null && fingerprint ? { fingerprint } : {}),
      };
      let refused = false;
      const handle = startComparisonRun(input, {
        onStarted(summary) {
          const live = viewRef.current;
          if (!live) return;
          if (summary.conversationId !== null && live.serverId === null) {
            setView({ ...live, serverId: summary.conversationId });
            navigate(`/c/${summary.conversationId}`);
          } else if (live.localId !== null && live.serverId === null) {
            saveIfLocal(live);
            navigate(`/local/${live.localId}`);
          }
        },
        onRefused(error) {
          // Nothing ran: take the turn back and give the prompt back to the composer.
          refused = true;
          const live = viewRef.current;
          const turns = live?.turns.slice(0, -1) ?? [];
          setView(live && turns.length > 0 ? { ...live, turns } : null);
          setRefusal({ error, prompt });
        },
        onEnded(store) {
          if (!refused) commit(store);
          const { creditsRemaining } = store.run();
          if (user === null && creditsRemaining !== null) setAnonymousCreditsRemaining(creditsRemaining);
          if (runRef.current === handle) setRun(null);
          handle.close();
          refreshAfterRun();
        },
      });
      setRun(handle);
    },
    [user, fingerprint, commit, setView, setRun],
  );

  const reset = useCallback(() => {
    leaveRun();
    setView(null);
    setRefusal(null);
  }, [leaveRun, setView]);

  return {
    view,
    run,
    refusal,
    dismissRefusal: () => setRefusal(null),
    loading: wantsServer && detail.isPending && user !== null,
    loadError: route.serverId !== null && !view ? detail.error : null,
    missing,
    send,
    reset,
  };
}
