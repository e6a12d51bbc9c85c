import { memo, type ReactNode, useRef, useState } from 'react';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { useLiveAnswer, useRunSummary } from './comparison-run';
import type { Turn } from './conversation-view';
import { type CardModel, ResultCard } from './ResultCard';
import { RunStatus } from './RunStatus';
import type { RunStore } from './run-store';

/** Memoised: the page re-rendering (route, history, header) does not re-render twelve cards. */
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
}) {
  const live = useLiveAnswer(store, model.id);
  const reconnecting = useRunSummary(store)?.reconnecting ?? false;
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
    />
  );
});

/**
 * The cards side by side: a responsive grid on wide screens; on phones a horizontal scroller with
 * snap points and a tab strip to jump between models.
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

  const show = (index: number) => {
    const card = scroller.current?.children[index];
    if (card instanceof HTMLElement)
      card.scrollIntoView({ behavior: 'smooth', inline: 'center', block: 'nearest' });
    setActive(index);
  };

  return (
    <section className="results" aria-label="Answers">
      <RunStatus store={store} />
      {models.length > 1 ? (
        <div className="result-tabs" role="tablist" aria-label="Jump to a model">
          {models.map((model, index) => (
            <button
              key={model.id}
              type="button"
              role="tab"
              aria-selected={index === active}
              className="result-tab"
              onClick={() => show(index)}
            >
              <ProviderAvatar provider={model.provider} size="sm" />
              {model.name}
            </button>
          ))}
        </div>
      ) : null}
      <div
        ref={scroller}
        className={`result-grid count-${Math.min(models.length, 4)}`}
        data-count={models.length}
        onScroll={(event) => {
          const element = event.currentTarget;
          const width = element.firstElementChild?.clientWidth ?? 0;
          if (width > 0 && element.scrollWidth > element.clientWidth + 4) {
            setActive(Math.round(element.scrollLeft / width));
          }
        }}
      >
        {models.map((model) => (
          <ConnectedCard
            key={model.id}
            model={model}
            turns={turns}
            store={store}
            onStop={onStop}
            onBreakout={breakoutModels.has(model.id) ? onBreakout : null}
            breakoutBusy={breakoutBusyId === model.id}
            onRetry={onRetry}
            onReply={onReply}
            replyRestore={replyRestore?.modelId === model.id ? replyRestore.prompt : null}
            replyEstimate={replyEstimate}
          />
        ))}
      </div>
    </section>
  );
}
