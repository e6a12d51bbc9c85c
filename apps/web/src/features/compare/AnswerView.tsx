import type { TSource } from '@compareintel/shared';
import { memo } from 'react';
import { LazyMarkdown } from '../../components/LazyMarkdown';
import { Spinner } from '../../components/Spinner';
import type { AnswerStatus } from './run-store';

function AnswerProblem({ status, error }: { status: AnswerStatus; error: string | null }) {
  if (status === 'stopped') return <p className="answer-note">Stopped before the end.</p>;
  if (status !== 'error') return null;
  return (
    <p className="answer-error" role="alert">
      {error ?? 'This model failed.'}
    </p>
  );
}

/**
 * One answer, streaming or finished. The same component shows the live answer and, once the run ends,
 * the stored one in the same place, so the switch re-renders nothing that did not change. While
 * streaming the text arrives at most once per frame (RunStore) and only its last markdown block is
 * parsed again (Markdown's block mode).
 */
export const AnswerView = memo(function AnswerView({
  text,
  status,
  error,
  sources,
}: {
  text: string;
  status: AnswerStatus;
  error: string | null;
  /** The answer's sources, for its `[n]` citations. */
  sources?: readonly TSource[] | undefined;
}) {
  const streaming = status === 'streaming' || status === 'waiting';
  return (
    <div className="answer" aria-busy={streaming}>
      {text ? <LazyMarkdown text={text} streaming={streaming} sources={sources} /> : null}
      {status === 'waiting' ? (
        <p className="answer-waiting">
          <Spinner label="Waiting for the first token" /> Waiting for the first token…
        </p>
      ) : null}
      {status === 'streaming' ? <span className="caret" aria-hidden="true" /> : null}
      <AnswerProblem status={status} error={error} />
    </div>
  );
});
