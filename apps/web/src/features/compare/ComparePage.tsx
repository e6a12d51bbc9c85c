import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Callout } from '../../components/Callout';
import { PageLoading } from '../../components/Spinner';
import { readError } from '../../lib/errors';
import { Link, navigate } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useFingerprint } from '../../lib/use-fingerprint';
import { BlindVote } from '../arena/BlindVote';
import { useSession } from '../auth/session';
import { useEvictionGuard } from '../conversations/use-eviction-guard';
import { ModelPicker } from '../models/ModelPicker';
import { usePreferences } from '../preferences/use-preferences';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { CreditEstimate } from './CreditEstimate';
import { hasSuccessfulAnswer } from './conversation-view';
import type { CardModel } from './ResultCard';
import { ResultGrid } from './ResultGrid';
import { RunRefusal } from './RunRefusal';
import { useRunOptions } from './run-options';
import { type CompareRoute, useCompareSession } from './use-compare-session';
import { useDockHeight } from './use-dock-height';
import { rememberModels, useModelSelection } from './use-model-selection';

/** Compare (home) and any opened conversation: picker, composer, the cards, follow-ups and breakouts. */
export function ComparePage({ route }: { route: CompareRoute }) {
  const { user } = useSession();
  const fingerprint = useFingerprint();
  const catalogue = useQuery(trpc.models.list.queryOptions());
  const preferences = usePreferences();
  const [selection, setSelection, selectionReady] = useModelSelection(
    catalogue.data,
    preferences.data?.preferredModels,
  );
  // The picker opens by itself only when nothing is selected once the remembered models are known.
  const pickerReady = selectionReady && (user === null || !preferences.isPending);
  const session = useCompareSession(route, user, fingerprint);
  const { view, run, refusal } = session;
  const [draft, setDraft] = useState('');
  const webSearchStatus = useQuery(trpc.compare.webSearchStatus.queryOptions());
  const webSearchAvailable = webSearchStatus.data?.enabled === true;
  // `options` as the composer shows them; `runOptions` as runs and estimates are sent with.
  const { options, effective: runOptions, setOptions } = useRunOptions(webSearchAvailable);
  const [breakoutError, setBreakoutError] = useState<string | null>(null);
  const dock = useDockHeight();
  const titles = useQuery(trpc.conversations.list.queryOptions({ limit: 100 }, { enabled: user !== null }));
  const eviction = useEvictionGuard(user !== null);

  const breakout = useMutation(
    trpc.conversations.breakout.mutationOptions({
      onSuccess: ({ conversationId }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.pathKey() });
        navigate(`/c/${conversationId}`);
      },
      onError: (error) => setBreakoutError(readError(error).message),
    }),
  );

  // A refused run gives its prompt back (a reply to one model, to that card's reply box).
  useEffect(() => {
    if (refusal && refusal.replyTo === null) setDraft((current) => current || refusal.prompt);
  }, [refusal]);

  const byId = useMemo(
    () => new Map(catalogue.data?.models.map((model) => [model.id, model]) ?? []),
    [catalogue.data],
  );
  const cardModels: CardModel[] = useMemo(
    () =>
      (view?.models ?? []).map((id) => {
        const model = byId.get(id);
        return { id, name: model?.name ?? id, provider: model?.provider ?? id.split('/')[0] ?? id };
      }),
    [view?.models, byId],
  );

  const running = run !== null;
  const stopModel = useCallback((modelId: string) => run?.stop(modelId), [run]);
  const { send, retry } = session;
  const retryModel = useCallback((modelId: string) => retry(modelId, runOptions), [retry, runOptions]);
  const replyToModel = useCallback(
    (modelId: string, prompt: string) => send(prompt, [modelId], runOptions, modelId),
    [send, runOptions],
  );
  const webSearch = runOptions.webSearch;
  const serverId = view?.serverId ?? null;
  const replyEstimate = useCallback(
    (modelId: string, prompt: string) => (
      <CreditEstimate
        models={[modelId]}
        prompt={prompt}
        conversationId={serverId}
        fingerprint={fingerprint}
        signedIn={user !== null}
        webSearch={webSearch}
      />
    ),
    [serverId, fingerprint, user, webSearch],
  );
  const replyRestore =
    refusal?.replyTo && refusal.prompt ? { modelId: refusal.replyTo, prompt: refusal.prompt } : null;
  const breakoutModels = useMemo(
    () =>
      new Set(
        user !== null &&
          view !== null &&
          view.serverId !== null &&
          !running &&
          view.blind === null &&
          view.models.length > 1
          ? view.models.filter((modelId) => hasSuccessfulAnswer(view, modelId))
          : [],
      ),
    [user, view, running],
  );
  const { mutate: startBreakout } = breakout;
  const openBreakout = useCallback(
    (modelId: string) => {
      if (view?.serverId == null) return;
      setBreakoutError(null);
      startBreakout({ id: view.serverId, modelId });
    },
    [view?.serverId, startBreakout],
  );

  if (route.serverId !== null && !view) {
    if (!user) {
      return (
        <div className="page-narrow">
          <Callout
            tone="info"
            title="Sign in to open this conversation"
            actions={
              <Link className="btn btn-primary btn-sm" href="/signin">
                Sign in
              </Link>
            }
          />
        </div>
      );
    }
    if (session.loadError) {
      return (
        <div className="page-narrow">
          <Callout
            tone="error"
            title="This conversation could not be opened"
            actions={
              <Link className="btn btn-secondary btn-sm" href="/">
                New comparison
              </Link>
            }
          >
            {readError(session.loadError).message}
          </Callout>
        </div>
      );
    }
    return <PageLoading label="Opening the conversation…" />;
  }
  if (route.localId !== null && session.missing) {
    return (
      <div className="page-narrow">
        <Callout
          tone="info"
          title="This comparison is no longer in this browser"
          actions={
            <Link className="btn btn-secondary btn-sm" href="/">
              New comparison
            </Link>
          }
        >
          Visitors keep their last comparisons in this browser only. Sign up to save them.
        </Callout>
      </div>
    );
  }

  const hasTurns = view !== null && view.turns.length > 0;
  const limit = catalogue.data?.modelsPerComparison ?? 0;
  const submit = (models: string[]) => {
    const prompt = draft.trim();
    if (!prompt || eviction.checking) return;
    const start = () => {
      rememberModels(models);
      session.send(prompt, models, runOptions);
      setDraft('');
    };
    // A new comparison may delete a saved (or, for a visitor, kept) conversation: the user is asked first.
    if (hasTurns) start();
    else eviction.guard(start);
  };
  const refusalBlock = refusal ? (
    <RunRefusal error={refusal.error} user={user} onDismiss={session.dismissRefusal} />
  ) : null;

  if (!hasTurns || !view) {
    return (
      <div className="compare-start">
        <div className="hero">
          <h1>Compare AI models side by side</h1>
          <p className="muted">One prompt, several models, every answer streaming at once.</p>
        </div>
        {catalogue.error ? (
          <Callout tone="error" title="Models could not be loaded">
            {readError(catalogue.error).message}
          </Callout>
        ) : catalogue.data && pickerReady ? (
          <ModelPicker
            models={catalogue.data.models}
            limit={limit}
            selection={selection}
            onChange={setSelection}
            signedIn={user !== null}
            startOpen={selection.length === 0}
            webSearch={webSearch}
          />
        ) : (
          <PageLoading label="Loading models…" />
        )}
        {refusalBlock}
        {eviction.dialog}
        <Composer
          variant="start"
          value={draft}
          onChange={setDraft}
          onSubmit={() => submit(selection)}
          running={running}
          onStopAll={() => run?.stop()}
          blockedReason={selection.length === 0 ? 'Pick at least one model to compare.' : null}
          options={options}
          onOptionsChange={setOptions}
          webSearchAvailable={webSearchAvailable}
          placeholder="Ask anything — every model you picked answers side by side"
          estimate={
            <CreditEstimate
              models={selection}
              prompt={draft}
              conversationId={null}
              fingerprint={fingerprint}
              signedIn={user !== null}
              webSearch={webSearch}
            />
          }
        />
      </div>
    );
  }

  const title = titles.data?.items.find((item) => item.id === view.serverId)?.title ?? null;
  // A blind comparison not voted on yet: no follow-up, retry or breakout until the vote names the models.
  const blindRun = view.blind;
  // The parent of a breakout is gone once the link is null (deleted: SET NULL) or, when this view was
  // loaded earlier, once the saved list (every saved conversation: the limit is at most 100) lacks it.
  const parentId = view.parentConversationId;
  const parentDeleted =
    view.type === 'breakout' &&
    (parentId === null ||
      (titles.data !== undefined && !titles.data.items.some((item) => item.id === parentId)));
  return (
    <div className="compare-results">
      <ConversationHeader view={view} models={cardModels} title={title} parentDeleted={parentDeleted} />
      {breakoutError ? (
        <Callout tone="error" onDismiss={() => setBreakoutError(null)}>
          {breakoutError}
        </Callout>
      ) : null}
      <ResultGrid
        models={cardModels}
        turns={view.turns}
        store={run?.store ?? null}
        onStop={run ? stopModel : null}
        breakoutModels={breakoutModels}
        onBreakout={openBreakout}
        breakoutBusyId={breakout.isPending ? (breakout.variables?.modelId ?? null) : null}
        onRetry={running || blindRun ? null : retryModel}
        onReply={view.models.length > 1 && !blindRun ? replyToModel : null}
        replyRestore={replyRestore}
        replyEstimate={replyEstimate}
      />
      {blindRun ? (
        running ? (
          <p className="vote-waiting muted" role="status">
            Blind comparison: vote once every answer has finished.
          </p>
        ) : (
          <BlindVote run={blindRun} labels={view.models} onRevealed={session.reveal} />
        )
      ) : (
        <div className="followup-dock" ref={dock}>
          {refusalBlock}
          <Composer
            variant="followup"
            value={draft}
            onChange={setDraft}
            onSubmit={() => submit(view.models)}
            running={running}
            onStopAll={() => run?.stop()}
            blockedReason={null}
            options={options}
            onOptionsChange={setOptions}
            webSearchAvailable={webSearchAvailable}
            placeholder={
              view.models.length === 1 ? 'Follow up…' : `Follow up with all ${view.models.length} models…`
            }
            estimate={
              <CreditEstimate
                models={view.models}
                prompt={draft}
                conversationId={view.serverId}
                fingerprint={fingerprint}
                signedIn={user !== null}
                webSearch={webSearch}
              />
            }
          />
          {user === null ? (
            <p className="followup-note muted">
              Without an account each follow-up starts fresh. <Link href="/signup">Sign up free</Link> so
              every model keeps its own thread.
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}
