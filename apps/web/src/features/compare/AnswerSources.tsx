import type { TSource } from '@compareintel/shared';
import { memo } from 'react';
import { Icon } from '../../components/Icon';
import type { ToolActivity } from './run-store';
import './web-search.css';

/** Only web pages become links: a source URL is whatever a search result said, so nothing else passes. */
function webHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function hostname(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/**
 * The pages the model was given while answering, numbered as its citations count them (`[2]` is the
 * second). They open outside the app, without the app's referrer and without vouching for them.
 */
export const AnswerSources = memo(function AnswerSources({ sources }: { sources: readonly TSource[] }) {
  if (sources.length === 0) return null;
  return (
    <section className="answer-sources" aria-label="Sources">
      <h4 className="answer-sources-title">Sources</h4>
      <ol>
        {sources.map((source, index) => {
          const href = webHref(source.url);
          const title = source.title.trim() || hostname(source.url);
          return (
            <li key={source.url}>
              <span className="source-number">{index + 1}.</span>
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                  {title}
                </a>
              ) : (
                <span>{title}</span>
              )}
              <span className="source-host">{hostname(source.url)}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
});

/** The tool call the model is waiting on, said politely to screen readers. */
export function ToolStatus({ activity }: { activity: ToolActivity }) {
  const verb = activity.tool === 'web_search' ? 'Searching' : 'Reading';
  return (
    <p className="tool-status" role="status" aria-live="polite" data-testid="tool-status">
      <Icon name={activity.tool === 'web_search' ? 'search' : 'globe'} size={13} />
      {verb}: {activity.target}
    </p>
  );
}

/** What the card says besides the answer: failed searches, why the model did not search. */
export const AnswerNotes = memo(function AnswerNotes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="answer-web-notes" aria-label="Notes">
      {notes.map((note, index) => (
        // The same sentence may come twice (two failed searches); notes are only ever appended.
        // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
        <li key={index}>
          <Icon name="info" size={13} />
          {note}
        </li>
      ))}
    </ul>
  );
});
