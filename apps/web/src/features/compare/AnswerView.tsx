import { memo, useDeferredValue } from 'react';
import { LazyMarkdown } from '../../components/LazyMarkdown';
import { Spinner } from '../../components/Spinner';
import type { StoredAnswer } from './conversation-view';
import type { LiveAnswer } from './run-store';

function AnswerProblem({ status, error }: { status: string; error: string | null }) {
  if (status === 'stopped') return <p className="answer-note">Stopped before the end.</p>;
  if (status !== 'error') return null;
  return (
    <p className="answer-error" role="alert">
      {error ?? 'This model failed.'}
    </p>
  );
}

/** A finished answer: rendered once and kept (memoised on the answer object). */
export const StoredAnswerView = memo(function StoredAnswerView({ answer }: { answer: StoredAnswer | null }) {
  if (!answer) return <p className="answer-note">No answer for this turn.</p>;
  return (
    <div className="answer">
      {answer.text ? <LazyMarkdown text={answer.text} /> : null}
      <AnswerProblem status={answer.status} error={answer.error} />
    </div>
  );
});

/**
 * The answer streaming in. The text arrives at most once per frame (RunStore); rendering it is
 * deferred so typing and scrolling stay responsive while twelve cards stream.
 */
export function LiveAnswerView({ answer }: { answer: LiveAnswer }) {
  const text = useDeferredValue(answer.text);
  const streaming = answer.status === 'streaming' || answer.status === 'waiting';
  return (
    <div className="answer" aria-busy={streaming}>
      {text ? <LazyMarkdown text={text} streaming={streaming} /> : null}
      {answer.status === 'waiting' ? (
        <p className="answer-waiting">
          <Spinner label="Waiting for the first token" /> Waiting for the first token…
        </p>
      ) : null}
      {answer.status === 'streaming' ? <span className="caret" aria-hidden="true" /> : null}
      <AnswerProblem status={answer.status} error={answer.error} />
    </div>
  );
}
