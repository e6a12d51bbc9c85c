import type { TArenaOutcome } from '@compareintel/shared';
import { useEffect, useState } from 'react';

export interface VoteChoice {
  outcome: TArenaOutcome;
  /** Labels: the winner alone for `best`, every label best first for `ranking`, none for all equal. */
  ranking: string[];
}

/** `order` with the item at `index` moved one place up (-1) or down (+1). */
export function moved(order: readonly string[], index: number, by: -1 | 1): string[] {
  const target = index + by;
  if (target < 0 || target >= order.length) return [...order];
  const next = [...order];
  [next[index], next[target]] = [next[target] ?? '', next[index] ?? ''];
  return next;
}

/**
 * The vote under a finished blind comparison: the best answer, or a ranking (up/down buttons, no drag),
 * or "all equally good/bad". The models are named only once the vote is saved.
 */
export function VotePanel({
  labels,
  busy,
  error,
  onVote,
}: {
  labels: readonly string[];
  busy: boolean;
  error: string | null;
  onVote: (choice: VoteChoice) => void;
}) {
  const [order, setOrder] = useState<string[]>(() => [...labels]);
  useEffect(() => setOrder([...labels]), [labels]);
  return (
    <section className="vote-panel" aria-label="Vote">
      <h2 className="vote-title">Blind comparison: which answer is best?</h2>
      <p className="muted">The models are named once you vote. You vote once per comparison.</p>
      <fieldset className="vote-best" aria-label="Best answer">
        {labels.map((label) => (
          <button
            key={label}
            type="button"
            className="btn btn-primary btn-sm"
            disabled={busy}
            onClick={() => onVote({ outcome: 'best', ranking: [label] })}
          >
            {label} is best
          </button>
        ))}
      </fieldset>
      <div className="vote-equal">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={busy}
          onClick={() => onVote({ outcome: 'all_good', ranking: [] })}
        >
          All equally good
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={busy}
          onClick={() => onVote({ outcome: 'all_bad', ranking: [] })}
        >
          All equally bad
        </button>
      </div>
      {labels.length > 2 ? (
        <details className="vote-ranking">
          <summary>Rank them instead</summary>
          <ol aria-label="Your ranking">
            {order.map((label, index) => (
              <li key={label}>
                <span>{label}</span>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Move ${label} up`}
                  disabled={busy || index === 0}
                  onClick={() => setOrder(moved(order, index, -1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Move ${label} down`}
                  disabled={busy || index === order.length - 1}
                  onClick={() => setOrder(moved(order, index, 1))}
                >
                  ↓
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            disabled={busy}
            onClick={() => onVote({ outcome: 'ranking', ranking: order })}
          >
            Submit this ranking
          </button>
        </details>
      ) : null}
      {error ? (
        <p className="vote-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
