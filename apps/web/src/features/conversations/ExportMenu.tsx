import type { TExportFormat } from '@compareintel/shared';
import { useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { downloadFile } from '../../lib/download';
import { errorMessage } from '../../lib/errors';
import { trpcClient } from '../../lib/trpc';
import '../shares/shares.css';

export const EXPORT_CHOICES: ReadonlyArray<{ format: TExportFormat; label: string }> = [
  { format: 'markdown', label: 'Markdown (.md)' },
  { format: 'json', label: 'JSON (.json)' },
  { format: 'html', label: 'HTML page (.html)' },
];

/** The "Export" menu: one click on a format downloads the file. */
export function ExportMenuView({
  busy,
  error,
  onExport,
}: {
  busy: boolean;
  error: string | null;
  onExport: (format: TExportFormat) => void;
}) {
  const menu = useRef<HTMLDetailsElement>(null);
  return (
    <details ref={menu} className="export-menu" data-testid="export-menu">
      <summary className="btn btn-secondary btn-sm share-action">
        <Icon name="download" size={14} />
        {busy ? 'Exporting…' : 'Export'}
      </summary>
      <div className="export-menu-list" role="menu" aria-label="Export as">
        {EXPORT_CHOICES.map((choice) => (
          <button
            key={choice.format}
            type="button"
            role="menuitem"
            className="export-menu-item"
            disabled={busy}
            onClick={() => {
              onExport(choice.format);
              if (menu.current) menu.current.open = false;
            }}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {error ? (
        <p className="export-menu-error" role="alert">
          {error}
        </p>
      ) : null}
    </details>
  );
}

/** Export one of the user's saved conversations as Markdown, JSON (re-importable) or one HTML page. */
export function ExportMenu({ conversationId }: { conversationId: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ExportMenuView
      busy={busy}
      error={error}
      onExport={(format) => {
        setBusy(true);
        setError(null);
        trpcClient.conversations.export
          .query({ id: conversationId, format })
          .then(downloadFile)
          .catch((failure: unknown) => setError(errorMessage(failure)))
          .finally(() => setBusy(false));
      }}
    />
  );
}
