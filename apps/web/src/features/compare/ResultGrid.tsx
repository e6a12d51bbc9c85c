import { type Dispatch, memo, type ReactNode, useEffect, useReducer, useRef, useState } from 'react';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { CollapsedCard, ColumnsToolbar } from './ColumnControls';
import {
  type ColumnAction,
  type ColumnView,
  columnViewReducer,
  EMPTY_COLUMN_VIEW,
  gridColumns,
  shownColumns,
  useLayoutPrefs,
} from './column-layout';
import { useLiveAnswer, useRunSummary } from './comparison-run';
import type { Turn } from './conversation-view';
import { type CardModel, ResultCard } from './ResultCard';
import { RunStatus } from './RunStatus';
import type { RunStore } from './run-store';
import { useLevelTurns } from './use-level-turns';

/**
 * Memoised on plain values: the page re-rendering (route, history, header) or another column being
 * collapsed does not re-render twelve cards; a streaming frame re-renders only its own card.
 */
const ConnectedCard = memo(function ConnectedCard({
  model,
  turns,
  store,
  onStop,
  onBreakout,
  breakoutBusy,
  onRetry,
  onReply,
  replyRestore,
  replyEstimate,
  collapsed,
  maximised,
  canHide,
  ownScroll,
  dispatch,
}: {
  model: CardModel;
  turns: readonly Turn[];
  store: RunStore | null;
  onStop: ((modelId: string) => void) | null;
  onBreakout: ((modelId: string) => void) | null;
  breakoutBusy: boolean;
  onRetry: ((modelId: string) => void) | null;
  onReply: ((modelId: string, prompt: string) => void) | null;
  replyRestore: string | null;
  replyEstimate: ((modelId: string, prompt: string) => ReactNode) | undefined;
  collapsed: boolean;
  maximised: boolean;
  canHide: boolean;
  ownScroll: boolean;
  dispatch: Dispatch<ColumnAction>;
}) {
  const live = useLiveAnswer(store, model.id);
  const reconnecting = useRunSummary(store)?.reconnecting ?? false;
  if (collapsed) {
    const status = live?.status ?? turns.at(-1)?.answers[model.id]?.status ?? null;
    return (
      <CollapsedCard
        model={model}
        status={status}
        onExpand={() => dispatch({ type: 'collapse', id: model.id, collapsed: false })}
      />
    );
  }
  return (
    <ResultCard
      model={model}
      turns={turns}
      live={live}
      reconnecting={reconnecting}
      onStop={onStop ? () => onStop(model.id) : null}
      onBreakout={onBreakout ? () => onBreakout(model.id) : null}
      breakoutBusy={breakoutBusy}
      busy={store !== null}
      onRetry={onRetry ? () => onRetry(model.id) : null}
      onReply={onReply ? (prompt) => onReply(model.id, prompt) : null}
      replyRestore={replyRestore}
      replyEstimate={replyEstimate ? (prompt) => replyEstimate(model.id, prompt) : undefined}
      ownScroll={ownScroll}
      layout={{
        maximised,
        onMaximise:
          canHide || maximised ? (on) => dispatch({ type: 'maximise', id: on ? model.id : null }) : null,
        onCollapse: canHide ? () => dispatch({ type: 'collapse', id: model.id, collapsed: true }) : null,
        onHide: canHide ? () => dispatch({ type: 'hide', id: model.id }) : null,
      }}
    />
  );
});

/** The view state belongs to one set of models: another conversation starts with every column open. */
function useColumnView(models: readonly CardModel[]) {
  const key = models.map((model) => model.id).join('\n');
  const [state, dispatch] = useReducer(
    (current: { key: string; view: ColumnView }, action: ColumnAction & { key: string }) => ({
      key: action.key,
      view: columnViewReducer(current.key === action.key ? current.view : EMPTY_COLUMN_VIEW, action),
    }),
    { key, view: EMPTY_COLUMN_VIEW },
  );
  const view = state.key === key ? state.view : EMPTY_COLUMN_VIEW;
  // Stable for the memoised cards: the key travels with each action.
  const keyRef = useRef(key);
  keyRef.current = key;
  const [stableDispatch] = useState<Dispatch<ColumnAction>>(
    () => (action: ColumnAction) => dispatch({ ...action, key: keyRef.current }),
  );
  return [view, stableDispatch] as const;
}

/**
 * The answers as columns side by side, one row that scrolls sideways: each column a user-chosen width
 * (Auto / 2 / 3 / 4 per screen), the page scrolling them vertically as one with the turns level
 * across columns (sync scroll, useLevelTurns; off = each column scrolls on its own). A column can be maximised
 * (Escape restores), collapsed to a strip, or hidden from view. On phones one column per screen
 * width, with snap points and a tab strip to jump between models.
 */
export function ResultGrid({
  models,
  turns,
  store,
  onStop,
  breakoutModels,
  onBreakout,
  breakoutBusyId,
  onRetry = null,
  onReply = null,
  replyRestore = null,
  replyEstimate,
}: {
  models: readonly CardModel[];
  turns: readonly Turn[];
  store: RunStore | null;
  onStop: ((modelId: string) => void) | null;
  /** Models whose card offers "continue with this model". */
  breakoutModels: ReadonlySet<string>;
  onBreakout: (modelId: string) => void;
  breakoutBusyId: string | null;
  /** Run one model again on the last turn (retry / regenerate); null while a run is in flight. */
  onRetry?: ((modelId: string) => void) | null;
  /** Follow up one model alone; null where a card offers no reply box. */
  onReply?: ((modelId: string, prompt: string) => void) | null;
  /** A refused reply given back to its model's box. */
  replyRestore?: { modelId: string; prompt: string } | null;
  /** What a reply to one model would cost (see CreditEstimate). */
  replyEstimate?: (modelId: string, prompt: string) => ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [prefs, setPrefs] = useLayoutPrefs();
  const [view, dispatch] = useColumnView(models);

  const ids = models.map((model) => model.id);
  const tracks = shownColumns(ids, view);
  // Rendered: every column not hidden. Others than the maximised one stay mounted (hidden by CSS),
  // so restoring is instant and their streaming state is untouched.
  const visible = view.maximised ? shownColumns(ids, { ...view, maximised: null }) : tracks;
  const byId = new Map(models.map((model) => [model.id, model]));
  const hiddenCount = ids.length - shownColumns(ids, { ...view, maximised: null }).length;
  const maximised = view.maximised !== null && ids.includes(view.maximised) ? view.maximised : null;

  // Escape restores a maximised column, and focus goes back to its button.
  const lastMaximised = useRef<string | null>(null);
  useEffect(() => {
    if (maximised) {
      lastMaximised.current = maximised;
      const onKey = (event: KeyboardEvent) => {
        if (event.key === 'Escape') dispatch({ type: 'maximise', id: null });
      };
      document.addEventListener('keydown', onKey);
      return () => document.removeEventListener('keydown', onKey);
    }
    const restored = lastMaximised.current;
    lastMaximised.current = null;
    if (restored) {
      const card = [...(scroller.current?.querySelectorAll<HTMLElement>('[data-model-id]') ?? [])].find(
        (element) => element.dataset.modelId === restored,
      );
      const button = card?.querySelector<HTMLElement>('[data-testid=card-maximise]');
      // Focusing scrolls the row (and the page) to the column again.
      button?.focus();
    }
  }, [maximised, dispatch]);

  const show = (index: number) => {
    const card = scroller.current?.children[index];
    if (card instanceof HTMLElement)
      card.scrollIntoView({ behavior: 'smooth', inline: 'center', block: 'nearest' });
    setActive(index);
  };

  // While a run streams, its answers are the last turn's.
  useLevelTurns(
    scroller,
    prefs.syncScroll,
    store ? turns.length - 1 : -1,
    `${turns.length}|${visible.join(',')}|${[...view.collapsed].join(',')}|${maximised}`,
  );

  const columns = gridColumns(prefs.columns, tracks, view.collapsed, maximised !== null);
  const layoutClass = `result-grid${prefs.syncScroll ? ' is-synced' : ' is-own-scroll'}${maximised ? ' is-maximised' : ''}`;
  return (
    <section className="results" aria-label="Answers">
      <RunStatus store={store} />
      {models.length > 1 ? (
        <ColumnsToolbar
          prefs={prefs}
          onChange={setPrefs}
          hidden={hiddenCount}
          onShowAll={() => dispatch({ type: 'showAll' })}
        />
      ) : null}
      {visible.length > 1 && !maximised ? (
        <div className="result-tabs" role="tablist" aria-label="Jump to a model">
          {visible.map((id, index) => {
            const model = byId.get(id);
            return (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={index === active}
                className="result-tab"
                onClick={() => show(index)}
              >
                <ProviderAvatar provider={model?.provider ?? id} size="sm" />
                {model?.name ?? id}
              </button>
            );
          })}
        </div>
      ) : null}
      <div
        ref={scroller}
        className={layoutClass}
        data-count={tracks.length}
        data-columns={prefs.columns}
        style={{
          '--columns': columns.wide,
          '--phone-columns': columns.phone,
        }}
        onScroll={(event) => {
          const element = event.currentTarget;
          const width = element.firstElementChild?.clientWidth ?? 0;
          if (width > 0 && element.scrollWidth > element.clientWidth + 4) {
            setActive(Math.round(element.scrollLeft / width));
          }
        }}
      >
        {visible.map((id) => {
          const model = byId.get(id);
          if (!model) return null;
          return (
            <ConnectedCard
              key={id}
              model={model}
              turns={turns}
              store={store}
              onStop={onStop}
              onBreakout={breakoutModels.has(id) ? onBreakout : null}
              breakoutBusy={breakoutBusyId === id}
              onRetry={onRetry}
              onReply={onReply}
              replyRestore={replyRestore?.modelId === id ? replyRestore.prompt : null}
              replyEstimate={replyEstimate}
              collapsed={view.collapsed.has(id)}
              maximised={maximised === id}
              canHide={visible.length > 1 || maximised === id}
              ownScroll={!prefs.syncScroll}
              dispatch={dispatch}
            />
          );
        })}
      </div>
    </section>
  );
}
