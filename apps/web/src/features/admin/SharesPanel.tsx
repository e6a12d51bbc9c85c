import type { TAdminShareRow } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { queryClient, trpc } from '../../lib/trpc';
import { Pagination } from './Pagination';

const STATE_LABELS: Record<TAdminShareRow['state'], string> = {
  active: 'Active',
  revoked: 'Revoked by owner',
  expired: 'Expired',
  taken_down: 'Taken down',
};

/** One row's "Take down": a reason is required (it goes into the audit log). */
function TakeDown({
  row,
  busy,
  onTakeDown,
}: {
  row: TAdminShareRow;
  busy: boolean;
  onTakeDown: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  if (row.state === 'taken_down') return <span className="admin-reason">{row.takeDownReason}</span>;
  return (
    <form
      className="admin-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) onTakeDown(reason.trim());
      }}
    >
      <input
        className="input input-sm"
        placeholder="Reason (required)"
        aria-label={`Reason for taking down link ${row.id}`}
        maxLength={500}
        required
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <button type="submit" className="btn btn-danger btn-sm" disabled={busy || !reason.trim()}>
        Take down
      </button>
    </form>
  );
}

/** Shared links, newest first: staff with `content.moderate` take one down (audited). */
export function SharesPanel() {
  const [page, setPage] = useState(1);
  const list = useQuery(trpc.admin.shares.list.queryOptions({ page }));
  const takeDown = useMutation(
    trpc.admin.shares.takeDown.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.shares.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.audit.pathKey() });
      },
    }),
  );
  if (list.error) return <Callout tone="error" title={errorMessage(list.error)} />;
  return (
    <section className="admin-section" aria-label="Shared links">
      {takeDown.error ? <Callout tone="error" title={errorMessage(takeDown.error)} /> : null}
      {list.data ? (
        <>
          <div className="table-wrap">
            <table className="table admin-table" data-testid="shares-table">
              <thead>
                <tr>
                  <th>Link</th>
                  <th>Conversation</th>
                  <th>Owner</th>
                  <th>Created</th>
                  <th>State</th>
                  <th>Take down</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      {row.state === 'active' ? (
                        <a href={row.url} target="_blank" rel="noopener noreferrer">
                          {row.url.slice(0, 14)}…
                        </a>
                      ) : (
                        <span className="muted">{row.url.slice(0, 14)}…</span>
                      )}
                    </td>
                    <td className="admin-wrap">{row.conversationTitle}</td>
                    <td>{row.ownerEmail}</td>
                    <td>{formatDateTime(row.createdAt)}</td>
                    <td>
                      {STATE_LABELS[row.state]}
                      {row.expiresAt && row.state === 'active' ? (
                        <span className="muted"> · until {formatDateTime(row.expiresAt)}</span>
                      ) : null}
                    </td>
                    <td>
                      <TakeDown
                        row={row}
                        busy={takeDown.isPending}
                        onTakeDown={(reason) => takeDown.mutate({ id: row.id, reason })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination info={list.data} noun="links" onPage={setPage} />
        </>
      ) : (
        <p className="muted">Loading shared links…</p>
      )}
    </section>
  );
}
