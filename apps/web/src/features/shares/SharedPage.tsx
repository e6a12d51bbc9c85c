import type { TSharedAnswer, TSharedConversation } from '@compareintel/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Callout } from '../../components/Callout';
import { Icon } from '../../components/Icon';
import { PageLoading } from '../../components/Spinner';
import { readError } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { AnswerSources } from '../compare/AnswerSources';
import { AnswerView } from '../compare/AnswerView';
import { formatMs, formatRate, tokensPerSecond } from '../compare/metrics';
import type { AnswerStatus } from '../compare/run-store';
import './shares.css';

export const SHARED_TITLE_SUFFIX = ' — CompareIntel shared comparison';

function cardStatus(answer: TSharedAnswer): AnswerStatus {
  if (answer.status === 'failed') return 'error';
  return answer.status ?? 'done';
}

/** Time to first token, speed, tokens and total time: the card's figures, without credits. */
function SharedMetrics({ answer }: { answer: TSharedAnswer }) {
  const { inputTokens, outputTokens, ttftMs, durationMs } = answer.metrics;
  const rate = tokensPerSecond(outputTokens, durationMs, ttftMs);
  const items: Array<[string, string, string]> = [
    ['TTFT', formatMs(ttftMs), 'Time to first token'],
    ['Speed', rate === null ? '—' : formatRate(rate), 'Output tokens per second'],
    [
      'Tokens',
      `${inputTokens === null ? '—' : formatInteger(inputTokens)} / ${outputTokens === null ? '—' : formatInteger(outputTokens)}`,
      'Tokens in / out',
    ],
    ['Time', formatMs(durationMs), 'Total time'],
  ];
  return (
    <dl className="card-metrics" aria-label="Answer metrics">
      {items.map(([label, value, title]) => (
        <div key={label} className="metric" title={title}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      aria-label={copied ? 'Copied' : 'Copy answer'}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} size={14} />
    </button>
  );
}

/** The read-only columns: per prompt, one column per model with its answer and figures. */
export function SharedConversationView({ shared }: { shared: TSharedConversation }) {
  return (
    <div className="shared-turns">
      {shared.prompts.map((prompt, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: turns never move
        <section key={index} className="shared-turn" aria-label={`Prompt ${index + 1}`}>
          <blockquote className="shared-prompt" data-testid="shared-prompt">
            {prompt}
          </blockquote>
          <div className="shared-columns">
            {shared.models.map((model) => {
              const answer = shared.answers[model.id]?.[index] ?? null;
              return (
                <article
                  key={model.id}
                  className="result-card shared-card"
                  data-testid="shared-answer"
                  data-model-id={model.id}
                  data-status={answer ? cardStatus(answer) : 'none'}
                >
                  <header className="shared-card-head">
                    <strong>{model.name}</strong>
                    {answer?.text ? <CopyButton text={answer.text} /> : null}
                  </header>
                  {answer ? (
                    <>
                      <AnswerView
                        text={answer.text}
                        status={cardStatus(answer)}
                        error={answer.error}
                        sources={answer.sources}
                      />
                      <AnswerSources sources={answer.sources} />
                      {answer.notes.map((note) => (
                        <p key={note} className="answer-note">
                          {note}
                        </p>
                      ))}
                      <SharedMetrics answer={answer} />
                    </>
                  ) : (
                    <p className="muted">No answer to this prompt.</p>
                  )}
                </article>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}

/** `/s/<token>`: a shared comparison, for anyone with the link; no account, composer or credits. */
export function SharedPage({ token }: { token: string }) {
  const shared = useQuery({ ...trpc.shares.get.queryOptions({ token }), retry: false, staleTime: Infinity });
  useEffect(() => {
    if (shared.data) document.title = `${shared.data.title}${SHARED_TITLE_SUFFIX}`;
    else if (shared.error) document.title = 'Link not found · CompareIntel';
  }, [shared.data, shared.error]);
  if (shared.isPending) return <PageLoading label="Loading the shared comparison…" />;
  if (shared.error) {
    const gone = readError(shared.error).code === 'NOT_FOUND';
    return (
      <div className="page-narrow" data-testid="shared-not-found">
        <Callout
          tone={gone ? 'info' : 'error'}
          title={
            gone
              ? 'This shared link does not exist or is no longer available'
              : readError(shared.error).message
          }
          actions={
            <Link className="btn btn-primary btn-sm" href="/">
              Try CompareIntel
            </Link>
          }
        >
          {gone ? 'Its owner may have turned it off, or it expired.' : null}
        </Callout>
      </div>
    );
  }
  const data = shared.data;
  return (
    <div className="shared-page" data-testid="shared-page">
      <header className="shared-head">
        <p className="shared-kicker">
          <Icon name="share" size={14} /> Shared comparison ·{' '}
          {new Date(data.createdAt).toLocaleDateString('en-US', { dateStyle: 'medium' })}
        </p>
        <h1 className="conversation-title">{data.title}</h1>
        <p className="muted">
          {data.models.map((model) => model.name).join(' · ')} —{' '}
          <Link href="/">compare AI models side by side on CompareIntel</Link>
        </p>
      </header>
      <SharedConversationView shared={data} />
    </div>
  );
}
