import {
  BLIND_LABELS,
  type TCompareRunInput,
  type TPublicUser,
  type TRevealedModels,
} from '@compareintel/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReadableError } from '../../lib/errors';
import { randomId } from '../../lib/ids';
import { navigate } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { refreshAfterRun } from '../auth/session';
import { findLocalConversation, saveLocalConversation, viewFromLocal } from '../conversations/local-history';
import { setAnonymousCreditsRemaining } from '../credits/anonymous-credits';
import { type RunOptions, runOptionFields } from './Composer';
import { type ComparisonRunHandle, reattachComparisonRun, startComparisonRun } from './comparison-run';
import {
  type ConversationView,
  emptyView,
  revealView,
  storedFromLive,
  viewFromDetail,
  withCurrentTurn,
} from './conversation-view';
import { forgetRunInFlight, readRunInFlight, rememberRunInFlight } from './run-in-flight';
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
 * without remounting: the route follows the run, not the other way round. A run still in flight when
 * the page reloads (kept in sessionStorage) is followed again once its conversation is shown.
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
  /** What refused the last run, and the prompt to give back (to a card's reply box when `replyTo` is set). */
  const [refusal, setRefusal] = useState<{
    error: ReadableError;
    prompt: string;
    replyTo: string | null;
  } | null>(null);
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

  // Leaving the page leaves the run's stream; the run goes on and is saved on the server, and coming
  // back to its conversation follows it again. (Forgetting the handle lets a remount follow it anew.)
  useEffect(
    () => () => {
      runRef.current?.close();
      runRef.current = null;
    },
    [],
  );

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

  /** A run has ended (or failed): keep its answers in the conversation and refresh what it changed. */
  const finishRun = useCallback(
    (handle: ComparisonRunHandle, store: RunStore, keep: boolean) => {
      if (keep) commit(store);
      const { creditsRemaining, runId } = store.run();
      if (runId !== null) forgetRunInFlight(runId);
      if (user === null && creditsRemaining !== null) setAnonymousCreditsRemaining(creditsRemaining);
      if (runRef.current === handle) setRun(null);
      handle.close();
      refreshAfterRun();
    },
    [user, commit, setRun],
  );

  // After a reload: follow the run this tab left in flight, once its conversation is on screen. Its
  // log replays from the start, so the cards are rebuilt whole and go on streaming.
  // biome-ignore lint/correctness/useExhaustiveDependencies: looked at again whenever the view changes
  useEffect(() => {
    if (runRef.current) return;
    const entry = readRunInFlight();
    if (!entry) return;
    const current = viewRef.current;
    let base: ConversationView;
    if (entry.conversationId !== null) {
      if (route.serverId !== entry.conversationId || current?.serverId !== entry.conversationId) return;
      base = current;
    } else if (entry.localId !== null && route.localId === entry.localId) {
      if (current?.localId === entry.localId) base = current;
      else if (missing) base = { ...emptyView(entry.models), localId: entry.localId };
      else return;
    } else {
      return;
    }
    const shown = withCurrentTurn(base, entry.prompt);
    setView(shown);
    setMissing(false);
    const handle = reattachComparisonRun(entry, {
      onEnded: (store) => finishRun(handle, store, true),
      onLost() {
        // The run is gone (finished long ago, or not this browser's): show what was saved instead.
        forgetRunInFlight(entry.runId);
        if (runRef.current === handle) setRun(null);
        handle.close();
        if (viewRef.current !== shown) return;
        if (entry.conversationId === null) {
          setView(base.turns.length > 0 ? base : null);
          setMissing(base.turns.length === 0);
          return;
        }
        const id = entry.conversationId;
        void queryClient
          .fetchQuery({ ...trpc.conversations.get.queryOptions({ id }), staleTime: 0 })
          .then((detail) => {
            if (viewRef.current?.serverId === id) setView(viewFromDetail(detail));
          })
          .catch(() => undefined);
      },
    });
    setRun(handle);
  }, [route.serverId, route.localId, view, missing, finishRun, setView, setRun]);

  /**
   * Send a prompt: a new comparison, a follow-up to every model of the conversation, or (with `replyTo`)
   * a follow-up to that one model alone, the others having no answer for the turn.
   */
  const send = useCallback(
    (prompt: string, models: string[], options: RunOptions, replyTo: string | null = null) => {
      const current = viewRef.current;
      const continuing = current !== null && current.turns.length > 0;
      // Blind: a new comparison of two or more models, shown by labels until the vote.
      const blind = options.blind && !continuing && models.length >= 2;
      const shownModels = blind ? BLIND_LABELS.slice(0, models.length) : models;
      const base = continuing ? current : { ...emptyView(shownModels), localId: user ? null : randomId() };
      const runModels = continuing ? (replyTo ? [replyTo] : base.models) : models;
      const next: ConversationView = { ...base, turns: [...base.turns, { prompt, answers: {} }] };
      setView(next);
      setRefusal(null);
      const input: TCompareRunInput = {
        models: runModels,
        prompt,
        ...(next.serverId !== null ? { conversationId: next.serverId } : {}),
        ...runOptionFields(options),
        ...(blind ? { blind: true as const } : {}),
        ...(user === null && fingerprint ? { fingerprint } : {}),
      };
      let refused = false;
      const handle = startComparisonRun(input, {
        onStarted(started) {
          const current = viewRef.current;
          if (!current) return;
          const live = started.blind
            ? { ...current, blind: { runId: started.runId, runSecret: started.runSecret } }
            : current;
          if (live !== current) setView(live);
          // Kept for this tab only, so a reload follows the run on instead of losing its answers.
          rememberRunInFlight({
            runId: started.runId,
            runSecret: started.runSecret,
            conversationId: started.conversationId,
            localId: live.localId,
            models: started.blind ? started.models : runModels,
            prompt,
            startedAt: Date.now(),
          });
          if (started.conversationId !== null && live.serverId === null) {
            setView({ ...live, serverId: started.conversationId });
            navigate(`/c/${started.conversationId}`);
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
          setRefusal({ error, prompt, replyTo });
        },
        onEnded: (store) => finishRun(handle, store, !refused),
      });
      setRun(handle);
    },
    [user, fingerprint, finishRun, setView, setRun],
  );

  /**
   * Run one model again on the last turn: "Retry this model" for a failed, stopped or timed-out answer,
   * "Regenerate" for a finished one. No new turn; the new answer replaces the old one once the run
   * ends (on the server too: `retry` saves it for the same prompt). Visitors, whose history stays in
   * this browser, run the same last prompt with that model alone.
   */
  const retry = useCallback(
    (modelId: string, options: RunOptions) => {
      const current = viewRef.current;
      const prompt = current?.turns.at(-1)?.prompt;
      if (!current || prompt === undefined || runRef.current) return;
      setRefusal(null);
      const input: TCompareRunInput = {
        models: [modelId],
        prompt,
        ...(current.serverId !== null ? { conversationId: current.serverId, retry: true as const } : {}),
        ...runOptionFields(options),
        ...(user === null && fingerprint ? { fingerprint } : {}),
      };
      let refused = false;
      const handle = startComparisonRun(input, {
        onStarted(started) {
          rememberRunInFlight({
            runId: started.runId,
            runSecret: started.runSecret,
            conversationId: started.conversationId,
            localId: viewRef.current?.localId ?? null,
            models: [modelId],
            prompt,
            startedAt: Date.now(),
          });
        },
        onRefused(error) {
          // Nothing ran: the card keeps its previous answer.
          refused = true;
          setRefusal({ error, prompt: '', replyTo: modelId });
        },
        onEnded: (store) => finishRun(handle, store, !refused),
      });
      setRun(handle);
    },
    [user, fingerprint, finishRun, setRun],
  );

  /** The blind vote named the models: the cards (and this browser's copy) show them from now on. */
  const reveal = useCallback(
    (revealed: TRevealedModels) => {
      const current = viewRef.current;
      if (!current) return;
      const next = revealView(current, revealed);
      setView(next);
      saveIfLocal(next);
      if (next.serverId !== null) {
        void queryClient.invalidateQueries({
          queryKey: trpc.conversations.get.queryKey({ id: next.serverId }),
        });
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
      }
    },
    [setView],
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
    retry,
    reveal,
    reset,
  };
}
