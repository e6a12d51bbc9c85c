import { Fragment, memo, useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { Spinner } from '../../components/Spinner';
import { LiveAnswerView, StoredAnswerView } from './AnswerView';
import { CardMetrics } from './CardMetrics';
import type { Turn } from './conversation-view';
import { liveMetrics } from './metrics';
import type { AnswerStatus, LiveAnswer } from './run-store';

const STATUS_TEXT: Record<AnswerStatus, string> = {
  waiting: 'Waiting',
  streaming: 'Streaming',
  done: 'Done',
  error: 'Failed',
  stopped: 'Stopped',
};

function StatusPill({ status }: { status: AnswerStatus }) {
  return (
    <span className={`status status-${status}`} data-testid="card-status">
      {status === 'waiting' ? <Spinner label="Waiting" /> : <span className="status-dot" aria-hidden="true" />}
      {STATUS_TEXT[status]}
    </span>
  );
}

/** The turns before the live one; memoised so a streaming frame never re-renders them. */
const PastTurns = memo(function PastTurns({
  turns,
  modelId,
  liveTurn,
}: {
  turns: readonly Turn[];
  modelId: string;
  liveTurn: boolean;
}) {
  return (
    <>
      {turns.map((turn, index) => {
        const isLive = liveTurn && index === turns.length - 1;
        return (
          // Turns are only ever appended.
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only turns
          <Fragment key={index}>
            <div className="bubble-user">{turn.prompt}</div>
            {isLive ? null : <StoredAnswerView answer={turn.answers[modelId] ?? null} />}
          </Fragment>
        );
      })}
    </>
  );
});

function useStickToBottom() {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const element = scroller.current;
    const inner = content.current;
    if (!element || !inner) return;
    const onScroll = () => {
      stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    };
    const observer = new ResizeObserver(() => {
      if (stick.current) element.scrollTop = element.scrollHeight;
    });
    element.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(inner);
    return () => {
      element.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, []);
  return { scroller, content };
}

export interface CardModel {
  id: string;
  name: string;
  provider: string;
}

/**
 * One model's column: its thread (every prompt and its own answers), the answer streaming now, live
 * metrics, and its actions (copy, stop, continue with this model). Fixed height with inner scrolling,
 * so streaming never shifts the page.
 */
export function ResultCard({
  model,
  turns,
  live,
  onStop,
  onBreakout,
  breakoutBusy,
}: {
  model: CardModel;
  turns: readonly Turn[];
  live: LiveAnswer | undefined;
  onStop: (() => void) | null;
  onBreakout: (() => void) | null;
  breakoutBusy: boolean;
}) {
  const { scroller, content } = useStickToBottom();
  const [copied, setCopied] = useState(false);
  const last = turns.at(-1)?.answers[model.id] ?? null;
  const status: AnswerStatus | null = live?.status ?? last?.status ?? null;
  const metrics = live ? liveMetrics(live, performance.now()) : (last?.metrics ?? null);
  const copyText = live?.text ?? last?.text ?? '';
  const streaming = live?.status === 'streaming' || live?.status === 'waiting';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(copyText);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };

  return (
    <article className="card result-card" aria-label={`${model.name}`} data-model-id={model.id} data-status={status}>
      <header className="card-head">
        <ProviderAvatar provider={model.provider} />
        <div className="card-title">
          <h3>{model.name}</h3>
          <span className="muted">{model.provider}</span>
        </div>
        {status ? <StatusPill status={status} /> : null}
        <div className="card-actions">
          <button
            type="button"
            className="icon-button"
            onClick={copy}
            disabled={!copyText}
            aria-label={copied ? 'Copied' : `Copy ${model.name}'s answer`}
            title={copied ? 'Copied' : 'Copy answer'}
          >
            <Icon name={copied ? 'check' : 'copy'} size={16} />
          </button>
          {streaming && onStop ? (
            <button
              type="button"
              className="icon-button"
              onClick={onStop}
              aria-label={`Stop ${model.name}`}
              title="Stop this model"
            >
              <Icon name="stop" size={16} />
            </button>
          ) : null}
        </div>
      </header>
      <div className="card-body" ref={scroller} tabIndex={0} role="region" aria-label={`${model.name} thread`}>
        <div ref={content} className="card-thread">
          <PastTurns turns={turns} modelId={model.id} liveTurn={live !== undefined} />
          {live ? <LiveAnswerView answer={live} /> : null}
        </div>
      </div>
      <footer className="card-foot">
        <CardMetrics metrics={metrics} live={streaming} />
        {onBreakout ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={onBreakout} disabled={breakoutBusy}>
            <Icon name="branch" size={14} />
            {breakoutBusy ? 'Opening…' : 'Continue with this model'}
          </button>
        ) : null}
      </footer>
    </article>
  );
}
