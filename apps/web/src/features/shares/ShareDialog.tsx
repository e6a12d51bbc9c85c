import type { TShareLink } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { queryClient, trpc } from '../../lib/trpc';
import './shares.css';

export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never', days: undefined },
  { value: '1', label: '1 day', days: 1 },
  { value: '7', label: '7 days', days: 7 },
  { value: '30', label: '30 days', days: 30 },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

export function expiryDays(choice: ExpiryChoice): number | undefined {
  return EXPIRY_CHOICES.find((item) => item.value === choice)?.days;
}

/** The address to hand out: the app's own origin and the link's path. */
export function absoluteShareUrl(link: Pick<TShareLink, 'url'>, origin: string): string {
  return `${origin}${link.url}`;
}

export interface ShareDialogViewProps {
  open: boolean;
  origin: string;
  links: readonly TShareLink[] | undefined;
  expiry: ExpiryChoice;
  creating: boolean;
  revokingId: number | null;
  copiedId: number | null;
  error: string | null;
  onExpiryChange: (choice: ExpiryChoice) => void;
  onCreate: () => void;
  onCopy: (link: TShareLink) => void;
  onRevoke: (link: TShareLink) => void;
  onClose: () => void;
}

/** Create a read-only link (optional expiry), copy it, and revoke the ones still working. */
export function ShareDialogView(props: ShareDialogViewProps) {
  const { open, origin, links, expiry, creating, revokingId, copiedId, error } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // jsdom (component tests) has no showModal.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog share-dialog"
      aria-labelledby="share-title"
      data-testid="share-dialog"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="share-title" className="dialog-title">
        Share this conversation
      </h2>
      <div className="dialog-body">
        <p className="muted">
          Anyone with the link can read the prompts and answers, without an account. Your email, credits and
          other conversations stay private. Revoke a link to turn it off at once.
        </p>
        <div className="share-create">
          <label className="field">
            <span className="field-label">Link expires</span>
            <select
              className="input input-sm"
              value={expiry}
              onChange={(event) => {
                const choice = EXPIRY_CHOICES.find((item) => item.value === event.target.value);
                if (choice) props.onExpiryChange(choice.value);
              }}
            >
              {EXPIRY_CHOICES.map((item) => (
                <option key={item.value} value={item.value}>
                  {item.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            disabled={creating}
            onClick={props.onCreate}
          >
            {creating ? 'Creating…' : 'Create link'}
          </button>
        </div>
        {error ? (
          <p className="answer-error" role="alert">
            {error}
          </p>
        ) : null}
        {links === undefined ? (
          <p className="muted">Loading links…</p>
        ) : links.length === 0 ? (
          <p className="muted" data-testid="share-none">
            No active links.
          </p>
        ) : (
          <ul className="share-links" aria-label="Active links">
            {links.map((link) => (
              <li key={link.id} className="share-link" data-testid="share-link">
                <input
                  className="input input-sm share-url"
                  readOnly
                  value={absoluteShareUrl(link, origin)}
                  aria-label="Shared link"
                  onFocus={(event) => event.target.select()}
                />
                <span className="muted share-expiry">
                  {link.expiresAt ? `Expires ${formatDateTime(link.expiresAt)}` : 'Never expires'}
                </span>
                <button type="button" className="btn btn-secondary btn-sm" onClick={() => props.onCopy(link)}>
                  <Icon name={copiedId === link.id ? 'check' : 'copy'} size={14} />
                  {copiedId === link.id ? 'Copied' : 'Copy link'}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  disabled={revokingId === link.id}
                  onClick={() => props.onRevoke(link)}
                >
                  {revokingId === link.id ? 'Revoking…' : 'Revoke'}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn btn-ghost" onClick={props.onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** The dialog wired to the API (mounted only while open, so a closed one asks nothing). */
function ShareDialog({ conversationId, onClose }: { conversationId: number; onClose: () => void }) {
  const [expiry, setExpiry] = useState<ExpiryChoice>('never');
  const [copiedId, setCopiedId] = useState<number | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const listInput = { conversationId };
  const links = useQuery(trpc.shares.list.queryOptions(listInput));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.shares.list.queryKey(listInput) });
  const create = useMutation(trpc.shares.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.shares.revoke.mutationOptions({ onSuccess: refresh }));
  const origin = window.location.origin;
  const error = create.error ?? revoke.error ?? links.error;
  return (
    <ShareDialogView
      open
      origin={origin}
      links={links.data}
      expiry={expiry}
      creating={create.isPending}
      revokingId={revoke.isPending ? (revoke.variables?.id ?? null) : null}
      copiedId={copiedId}
      error={copyError ?? (error ? errorMessage(error) : null)}
      onExpiryChange={setExpiry}
      onCreate={() => create.mutate({ conversationId, expiresInDays: expiryDays(expiry) })}
      onCopy={(link) => {
        setCopyError(null);
        navigator.clipboard
          .writeText(absoluteShareUrl(link, origin))
          .then(() => setCopiedId(link.id))
          .catch(() => setCopyError('Could not copy: select the link and copy it yourself.'));
      }}
      onRevoke={(link) => revoke.mutate({ id: link.id })}
      onClose={onClose}
    />
  );
}

/** The header's "Share" button and its dialog, for one of the user's saved conversations. */
export function ShareButton({ conversationId }: { conversationId: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-secondary btn-sm share-action" onClick={() => setOpen(true)}>
        <Icon name="share" size={14} />
        Share
      </button>
      {open ? <ShareDialog conversationId={conversationId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
