import type { TEvictionPreview } from '@compareintel/shared';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { summaryTitle } from './conversation-title';

export interface SavedConversationChoice {
  id: number;
  title: string;
  pinned: boolean;
}

/**
 * Asked before a new comparison that would delete a saved conversation to stay within the plan's
 * limit: names the one that would go and lets the user cancel, pin it (the next one is then proposed),
 * delete another one instead, or continue. When every saved conversation is pinned the comparison
 * cannot start: cancel, or delete one. A preview that could not be read says so and lets the user go on.
 */
export function EvictionDialog({
  open,
  preview,
  saved,
  busy,
  error,
  onCancel,
  onPin,
  onDelete,
  onContinue,
}: {
  open: boolean;
  preview: TEvictionPreview | null;
  /** The saved conversations, for "Delete another". */
  saved: readonly SavedConversationChoice[];
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onPin: (id: number) => void;
  onDelete: (id: number) => void;
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

  const doomed = preview?.evicts[0] ?? null;
  const more = (preview?.evicts.length ?? 0) - 1;
  let title: string;
  let body: ReactNode;
  if (choosing) {
    title = 'Delete another conversation';
    body = (
      <>
        <p>Pick the conversation to delete instead; the comparison starts once there is room.</p>
        <ul className="eviction-choices">
          {saved.map((item) => (
            <li key={item.id}>
              <span className="eviction-choice-title">
                {item.pinned ? <Icon name="pin" size={13} label="Pinned" /> : null}
                {item.title}
              </span>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={`Delete “${item.title}”`}
                disabled={busy}
                onClick={() => onDelete(item.id)}
              >
                <Icon name="trash" size={14} /> Delete
              </button>
            </li>
          ))}
        </ul>
      </>
    );
  } else if (!preview) {
    title = 'Start this comparison?';
    body = <p>{error ?? 'Checking your saved conversations…'}</p>;
  } else if (preview.blocked) {
    title = 'All your saved conversations are pinned';
    body = (
      <p>
        Your plan keeps {preview.limit} saved conversations and every one is pinned, so a new comparison has
        no room. Unpin or delete one to start it.
      </p>
    );
  } else {
    title = 'This comparison will delete a saved conversation';
    body = (
      <p>
        Your plan keeps {preview.limit} saved conversations. Starting this one deletes{' '}
        <strong data-testid="eviction-title">“{doomed ? summaryTitle(doomed) : ''}”</strong>, the least
        recently used{more > 0 ? `, and ${more} more` : ''}, with all its answers.
      </p>
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
        {error && preview ? <p role="alert">{error}</p> : null}
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
        {!choosing && doomed ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => onPin(doomed.id)}
          >
            <Icon name="pin" size={14} /> Pin it
          </button>
        ) : null}
        {!choosing && preview ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => setChoosing(true)}
          >
            Delete another
          </button>
        ) : null}
        {!choosing && (doomed || (!preview && error)) ? (
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
