import type { TPageInfo } from '@compareintel/shared';
import { formatInteger } from '../../lib/format';

/** "Page 2 of 7 · 153 users" with previous / next buttons. */
export function Pagination({
  info,
  noun,
  onPage,
}: {
  info: TPageInfo;
  noun: string;
  onPage(page: number): void;
}) {
  return (
    <nav className="pagination" aria-label={`${noun} pages`}>
      <span className="muted">
        {info.totalPages === 0 ? 'Nothing found' : `Page ${info.page} of ${info.totalPages}`} ·{' '}
        {formatInteger(info.total)} {noun}
      </span>
      <div className="pagination-buttons">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={info.page <= 1}
          onClick={() => onPage(info.page - 1)}
        >
          Previous
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={info.page >= info.totalPages}
          onClick={() => onPage(info.page + 1)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
