import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { formatRelativeDate } from '../../lib/format';
import { Link } from '../../lib/router';

export interface HistoryEntry {
  key: string;
  href: string;
  title: string;
  /** The user's own title, if any (what the rename box starts with). */
  customTitle: string | null;
  providers: string[];
  modelNames: string[];
  updatedAt: string;
  breakout: boolean;
  /** Saved conversations only (null for a visitor's): pinned ones are never deleted to make room. */
  pinned: boolean | null;
}

/**
 * One history row: open it, pin it (saved conversations), rename it inline (Enter saves, Escape
 * cancels), or delete it.
 */
export function HistoryItem({
  entry,
  active,
  onRename,
  onDelete,
  onTogglePin,
  renaming,
  timeZone,
}: {
  entry: HistoryEntry;
  active: boolean;
  onRename: (title: string) => void;
  onDelete: () => void;
  onTogglePin?: () => void;
  /** The zone dates are shown in (the user's chosen one). */
  timeZone?: string | undefined;
  renaming: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(entry.customTitle ?? entry.title);

  const save = () => {
    const title = value.trim();
    setEditing(false);
    if (title && title !== entry.title) onRename(title);
  };

  if (editing) {
    return (
      <li className="history-item is-editing">
        <input
          className="input input-sm"
          aria-label="Conversation title"
          value={value}
          maxLength={255}
          // biome-ignore lint/a11y/noAutofocus: the user just asked to rename this row
          autoFocus
          onChange={(event) => setValue(event.target.value)}
          onBlur={save}
          onKeyDown={(event) => {
            if (event.key === 'Enter') save();
            if (event.key === 'Escape') {
              setValue(entry.customTitle ?? entry.title);
              setEditing(false);
            }
          }}
        />
      </li>
    );
  }

  return (
    <li
      className={`history-item${active ? ' is-active' : ''}${entry.pinned ? ' is-pinned' : ''}`}
      data-testid="history-item"
    >
      <Link href={entry.href} className="history-link" aria-current={active ? 'page' : undefined}>
        <span className="history-title">
          {entry.pinned ? <Icon name="pin" size={13} label="Pinned" /> : null}
          {entry.breakout ? <Icon name="branch" size={13} label="Continued with one model" /> : null}
          <span className="history-title-text">{renaming ? value : entry.title}</span>
        </span>
        <span className="history-meta">
          <span className="history-avatars" title={entry.modelNames.join(', ')}>
            {entry.providers.slice(0, 4).map((provider, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: providers can repeat
              <ProviderAvatar key={index} provider={provider} size="sm" />
            ))}
            {entry.providers.length > 4 ? <span className="muted">+{entry.providers.length - 4}</span> : null}
          </span>
          <span className="sr-only">{entry.modelNames.join(', ')}</span>
          <time dateTime={entry.updatedAt}>{formatRelativeDate(entry.updatedAt, undefined, timeZone)}</time>
        </span>
      </Link>
      <span className="history-actions">
        {entry.pinned !== null && onTogglePin ? (
          <button
            type="button"
            className={`icon-button${entry.pinned ? ' is-on' : ''}`}
            aria-label={`${entry.pinned ? 'Unpin' : 'Pin'} “${entry.title}”`}
            aria-pressed={entry.pinned}
            title={
              entry.pinned
                ? 'Unpin: it may make room for new comparisons again'
                : 'Pin: never deleted to make room'
            }
            onClick={onTogglePin}
          >
            <Icon name="pin" size={14} />
          </button>
        ) : null}
        <button
          type="button"
          className="icon-button"
          aria-label={`Rename “${entry.title}”`}
          onClick={() => {
            setValue(entry.customTitle ?? entry.title);
            setEditing(true);
          }}
        >
          <Icon name="pencil" size={14} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Delete “${entry.title}”`}
          onClick={onDelete}
        >
          <Icon name="trash" size={14} />
        </button>
      </span>
    </li>
  );
}
