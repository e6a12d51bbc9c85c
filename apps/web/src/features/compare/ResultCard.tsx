import type { TSource } from '@compareintel/shared';
import { memo, type ReactNode, useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { AnswerNotes, AnswerSources, ToolStatus } from './AnswerSources';
import { AnswerView } from './AnswerView';
import { CardMetrics } from './CardMetrics';
import { type CardLayout, LayoutButtons } from './ColumnControls';
import type { Turn } from './conversation-view';
import { ModelReplyBox } from './ModelReplyBox';
import { liveMetrics } from './metrics';
import type { AnswerStatus, LiveAnswer, ToolActivity } from './run-store';

const NO_SOURCES: readonly TSource[] = [];
const NO_NOTES: readonly string[] = [];

const STATUS_TEXT: Record<AnswerStatus, string> = {
  waiting: 'Waiting',
  streaming: 'Streaming',
  done: 'Done',
  error: 'Failed',
  stopped: 'Stopped',
};

function StatusPill({ status, reconnecting }: { status: AnswerStatus; reconnecting: boolean }) {
  const open = status === 'waiting' || status === 'streaming';
  return (
    <span className={`status status-${status}`} data-testid="card-status">
      <span className="status-dot" aria-hidden="true" />
      {open && reconnecting ? 'Reconnecting' : STATUS_TEXT[status]}
    </span>
  );
}

/**
 * One prompt and this model's answer to it. ResultGrid levels each turn across the columns (the
 * tallest sets every column's min-height), so turn 2 starts at the same height in every column. Turns
 * keep their place (key = turn index) and are memoised on plain values, so a streaming frame
 * re-renders only the turn being written, and neither the run's end nor a new follow-up re-creates
 * the answers already on screen.
 */
const TurnView = memo(function TurnView({
  index,
  prompt,
  text,
  status,
  error,
  sources,
  notes,
  activity,
}: {
  index: number;
  prompt: string;
  text: string | null;
  status: AnswerStatus | null;
  error: string | null;
  sources: readonly TSource[];
  notes: readonly string[];
  /** The web tool call the live answer waits on. */
  activity: ToolActivity | null;
}) {
  return (
    <div className="turn" data-turn={index}>
      <div className="turn-content">
        <div className="bubble-user">{prompt}</div>
        {status === null || text === null ? (
          <p className="answer-note answer-note-quiet">Not asked this turn.</p>
        ) : (
          <>
            <AnswerView text={text} status={status} error={error} sources={sources} />
            {activity ? <ToolStatus activity={activity} /> : null}
            <AnswerNotes notes={notes} />
            <AnswerSources sources={sources} />
          </>
        )}
      </div>
    </div>
  );
});

/** Only when the column scrolls on its own (sync scroll off): keep the newest text in view. */
function useStickToBottom(enabled: boolean) {
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const element = scroller.current;
    const inner = content.current;
    if (!enabled || !element || !inner) return;
    stick.current = true;
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
  }, [enabled]);
  return { scroller, content };
}

export interface CardModel {
  id: string;
  name: string;
  provider: string;
}

/**
 * One model's column: its thread (every prompt and its own answers), the answer streaming now, live
 * metrics, and its actions (copy, stop, maximise, collapse, hide, continue with this model). The page
 * scrolls the columns as one; with sync scroll off the column has a fixed height and scrolls on its
 * own, following the newest text.
 */
export function ResultCard({
  model,
  turns,
  live,
  reconnecting = false,
  onStop,
  onBreakout,
  breakoutBusy,
  busy = false,
  onRetry = null,
  onReply = null,
  replyRestore = null,
  replyEstimate,
  layout,
  ownScroll = false,
}: {
  model: CardModel;
  turns: readonly Turn[];
  live: LiveAnswer | undefined;
  /** The run's connection is being restored (this card's answer goes on once it is). */
  reconnecting?: boolean;
  onStop: (() => void) | null;
  onBreakout: (() => void) | null;
  breakoutBusy: boolean;
  /** A run is in flight (this card's or another's): nothing new can start. */
  busy?: boolean;
  /** Run this model again on the last turn (offered once its answer there has ended). */
  onRetry?: (() => void) | null;
  /** Send a follow-up to this model alone. */
  onReply?: ((prompt: string) => void) | null;
  /** A reply the API refused, given back to the reply box. */
  replyRestore?: string | null;
  /** What a reply would cost, for the prompt typed so far. */
  replyEstimate?: ((prompt: string) => ReactNode) | undefined;
  layout?: CardLayout;
  /** The column scrolls on its own (sync scroll off) rather than with the page. */
  ownScroll?: boolean;
}) {
  const { scroller, content } = useStickToBottom(ownScroll);
  const [copied, setCopied] = useState(false);
  const [replying, setReplying] = useState(false);
  const last = turns.at(-1)?.answers[model.id] ?? null;
  const status: AnswerStatus | null = live?.status ?? last?.status ?? null;
  const metrics = live ? liveMetrics(live, performance.now()) : (last?.metrics ?? null);
  const searches = live?.searches ?? last?.searches ?? 0;
  const copyText = live?.text ?? last?.text ?? '';
  const streaming = live?.status === 'streaming' || live?.status === 'waiting';
  // Retry and regenerate act on the last turn's ended answer; the error stays shown until a retry starts.
  const retryLabel = last?.status === 'done' ? 'Regenerate' : 'Retry this model';
  const canRetry = onRetry !== null && !busy && !live && last !== null;
  const replyOpen = onReply !== null && replying;
  useEffect(() => {
    if (replyRestore !== null) setReplying(true);
  }, [replyRestore]);

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
    <article
      className={`card result-card${layout?.maximised ? ' is-maximised' : ''}`}
      aria-label={`${model.name}`}
      data-model-id={model.id}
      data-status={status}
    >
      <header className="card-head">
        <div className="card-head-row">
          <ProviderAvatar provider={model.provider} />
          <div className="card-title">
            <h3 title={model.name}>{model.name}</h3>
            <span className="card-sub">
              <span className="card-provider">{model.provider}</span>
              {status ? <StatusPill status={status} reconnecting={reconnecting} /> : null}
            </span>
          </div>
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
            {layout ? <LayoutButtons name={model.name} layout={layout} /> : null}
          </div>
        </div>
        {live?.notice ? (
          <p className="card-notice" role="status" data-testid="card-notice">
            {live.notice}
          </p>
        ) : null}
      </header>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="card-body" ref={scroller} tabIndex={0} aria-label={`${model.name} thread`}>
        <div ref={content} className="card-thread">
          {turns.map((turn, index) => {
            const current = index === turns.length - 1 && live ? live : null;
            const answer = current ?? turn.answers[model.id] ?? null;
            return (
              <TurnView
                // Turns are only ever appended, so the index is a stable identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: append-only turns
                key={index}
                index={index}
                prompt={turn.prompt}
                text={answer?.text ?? null}
                status={answer?.status ?? null}
                error={answer?.error ?? null}
                sources={answer?.sources ?? NO_SOURCES}
                notes={answer?.notes ?? NO_NOTES}
                activity={current?.activity ?? null}
              />
            );
          })}
        </div>
      </section>
      {replyOpen && onReply ? (
        <ModelReplyBox
          modelName={model.name}
          disabled={busy}
          restore={replyRestore}
          onSend={(prompt) => {
            setReplying(false);
            onReply(prompt);
          }}
          onClose={() => setReplying(false)}
          estimate={replyEstimate}
        />
      ) : null}
      <footer className="card-foot">
        <CardMetrics metrics={metrics} live={streaming} searches={searches} />
        <div className="card-answer-actions">
          {canRetry ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={onRetry}
              aria-label={`${retryLabel}: ${model.name}`}
            >
              {retryLabel}
            </button>
          ) : null}
          {onReply !== null && !replyOpen ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => setReplying(true)}
              disabled={busy}
              aria-label={`Reply to ${model.name} only`}
            >
              Reply to this model
            </button>
          ) : null}
        </div>
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
