import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { Link } from '../../lib/router';
import type { ConversationChoice, EvictionPlan } from './eviction-plan';

/**
 * Asked before a new comparison that would delete a saved conversation to stay within the limit: names
 * the one that would go and lets the user cancel, pin it (the next one is then proposed), delete another
 * one instead, or continue. When every saved conversation is pinned the comparison cannot start: cancel,
 * or delete one. A plan that could not be read says so and lets the user go on.
 */
export function EvictionDialog({
  open,
  plan,
  saved,
  busy,
  error,
  onCancel,
  onPin,
  onDelete,
  onContinue,
}: {
  open: boolean;
  /** Null while it could not be read (then `error` says why). */
  plan: EvictionPlan | null;
  /** The saved conversations, for "Delete another". */
  saved: readonly ConversationChoice[];
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onPin: (key: string) => void;
  onDelete: (key: string) => void;
  onContinue: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choosing, setChoosing] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setChoosing(false);
      // jsdom (component tests) has no showModal.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const doomed = plan?.evicts[0] ?? null;
  const more = (plan?.evicts.length ?? 0) - 1;
  let title: string;
  let body: ReactNode;
  if (choosing) {
    title = 'Delete another conversation';
    body = (
      <>
        <p>Pick the conversation to delete instead; the comparison starts once there is room.</p>
        <ul className="eviction-choices">
          {saved.map((item) => (
            <li key={item.key}>
              <span className="eviction-choice-title">
                {item.pinned ? <Icon name="pin" size={13} label="Pinned" /> : null}
                {item.title}
              </span>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Delete “${item.title}”`}
                disabled={busy}
                onClick={() => onDelete(item.key)}
              >
                <Icon name="trash" size={14} /> Delete
              </button>
            </li>
          ))}
        </ul>
      </>
    );
  } else if (!plan) {
    title = 'Start this comparison?';
    body = <p>{error ?? 'Checking your saved conversations…'}</p>;
  } else if (plan.blocked) {
    title = 'All your saved conversations are pinned';
    body = (
      <p>
        Your plan keeps {plan.limit} saved conversations and every one is pinned, so a new comparison has no
        room. Unpin or delete one to start it.
      </p>
    );
  } else {
    title = 'This comparison will delete a saved conversation';
    body = (
      <>
        <p>
          {plan.canPin
            ? `Your plan keeps ${plan.limit} saved conversations.`
            : `This browser keeps your last ${plan.limit} comparisons.`}{' '}
          Starting this one deletes <strong data-testid="eviction-title">“{doomed?.title}”</strong>, the least
          recently used{more > 0 ? `, and ${more} more` : ''}, with all its answers.
        </p>
        {plan.canPin ? null : (
          <p>
            <Link href="/signup">Sign up free</Link> to keep more, and pin the ones that matter.
          </p>
        )}
      </>
    );
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="eviction-title"
      data-testid="eviction-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="eviction-title" className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">
        {body}
        {error && plan ? <p role="alert">{error}</p> : null}
      </div>
      <div className="dialog-actions eviction-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        {choosing ? (
          <button type="button" className="btn btn-secondary" onClick={() => setChoosing(false)}>
            Back
          </button>
        ) : null}
        {!choosing && doomed && plan?.canPin ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => onPin(doomed.key)}
          >
            <Icon name="pin" size={14} /> Pin it
          </button>
        ) : null}
        {!choosing && plan ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => setChoosing(true)}
          >
            Delete another
          </button>
        ) : null}
        {!choosing && (doomed || (!plan && error)) ? (
          <button
            type="button"
            className={`btn ${doomed ? 'btn-danger' : 'btn-primary'}`}
            disabled={busy}
            onClick={onContinue}
          >
            {busy ? 'Working…' : doomed ? 'Delete it and continue' : 'Continue'}
          </button>
        ) : null}
      </div>
    </dialog>
  );
}
