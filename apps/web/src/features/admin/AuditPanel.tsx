import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useTimeZone } from '../preferences/use-preferences';
import { Pagination } from './Pagination';

const ACTION_TYPES = [
  'user.update',
  'user.reset_credits',
  'user.resend_verification',
  'user.delete',
  'settings.update',
  'model.availability',
];

function positiveId(text: string): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Before → after of an audit row, in one short line per field. */
function describeDetails(details: Record<string, unknown> | null): string {
  if (!details) return '';
  if (details.outcome === 'refused') return `Refused: ${String(details.reason ?? '')}`;
  return JSON.stringify(details);
}

/** The audit log: every staff write and every refused attempt, newest first, with filters. */
export function AuditPanel() {
  const timeZone = useTimeZone();
  const [actionType, setActionType] = useState('');
  const [adminId, setAdminId] = useState('');
  const [targetId, setTargetId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const ids = useDebouncedValue({ adminId, targetId }, 300);
  const list = useQuery({
    ...trpc.admin.audit.list.queryOptions({
      actionType: actionType || undefined,
      adminId: positiveId(ids.adminId),
      targetId: positiveId(ids.targetId),
      from: from || undefined,
      to: to || undefined,
      page,
      perPage: 25,
    }),
    placeholderData: keepPreviousData,
  });
  const onFilter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage(1);
  };
  return (
    <section className="admin-section" aria-label="Audit log">
      <div className="admin-filters">
        <label className="field">
          <span className="field-label">Action</span>
          <select
            className="input"
            value={actionType}
            onChange={(event) => onFilter(setActionType)(event.target.value)}
            data-testid="audit-action-filter"
          >
            <option value="">Any</option>
            {ACTION_TYPES.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Staff user id</span>
          <input
            className="input"
            inputMode="numeric"
            value={adminId}
            onChange={(event) => onFilter(setAdminId)(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Target user id</span>
          <input
            className="input"
            inputMode="numeric"
            value={targetId}
            onChange={(event) => onFilter(setTargetId)(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">From</span>
          <input
            className="input"
            type="date"
            value={from}
            onChange={(event) => onFilter(setFrom)(event.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <input
            className="input"
            type="date"
            value={to}
            onChange={(event) => onFilter(setTo)(event.target.value)}
          />
        </label>
      </div>
      {list.error ? <Callout tone="error" title={errorMessage(list.error)} /> : null}
      {list.data ? (
        <>
          <div className="table-wrap">
            <table className="table admin-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Staff</th>
                  <th scope="col">Action</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Details</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((row) => (
                  <tr key={row.id} data-testid="audit-row">
                    <td>{formatDateTime(row.createdAt, timeZone)}</td>
                    <td>{row.adminEmail ?? (row.adminId ? `#${row.adminId}` : 'deleted')}</td>
                    <td>
                      <code>{row.actionType}</code>
                    </td>
                    <td className="admin-wrap">{row.description}</td>
                    <td className="admin-wrap admin-details">{describeDetails(row.details)}</td>
                    <td className="admin-wrap">
                      {row.ipAddress ?? ''}
                      {row.userAgent ? <span className="muted"> · {row.userAgent.slice(0, 60)}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination info={list.data} noun="entries" onPage={setPage} />
        </>
      ) : list.isPending ? (
        <p className="muted">Loading the audit log…</p>
      ) : null}
    </section>
  );
}
