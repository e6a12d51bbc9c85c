import {
  ADMIN_USER_SORTS,
  ROLES,
  SUBSCRIPTION_TIERS,
  type TAdminUserListInput,
  TIERS,
  type TPublicUser,
} from '@compareintel/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatInteger } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useTimeZone } from '../preferences/use-preferences';
import { Pagination } from './Pagination';
import { UserDrawer } from './UserDrawer';

const SORT_LABELS: Record<(typeof ADMIN_USER_SORTS)[number], string> = {
  created_desc: 'Newest first',
  created_asc: 'Oldest first',
  email_asc: 'Email A → Z',
  email_desc: 'Email Z → A',
  last_access_desc: 'Recently active',
  credits_used_desc: 'Most credits used',
};

const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  user: 'User',
  moderator: 'Moderator',
  admin: 'Admin',
  super_admin: 'Super admin',
};

export { ROLE_LABELS };

function yesNo(value: string): boolean | undefined {
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

/** Users: search as you type, filters, sort and pages; a row opens the detail drawer. */
export function UsersPanel({ me }: { me: TPublicUser }) {
  const timeZone = useTimeZone();
  const [search, setSearch] = useState('');
  const [tier, setTier] = useState('');
  const [role, setRole] = useState('');
  const [active, setActive] = useState('');
  const [verified, setVerified] = useState('');
  const [sort, setSort] = useState<(typeof ADMIN_USER_SORTS)[number]>('created_desc');
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<number | null>(null);
  const debounced = useDebouncedValue(search.trim(), 250);

  const input: TAdminUserListInput = {
    search: debounced || undefined,
    tier: SUBSCRIPTION_TIERS.find((item) => item === tier),
    role: ROLES.find((item) => item === role),
    active: yesNo(active),
    verified: yesNo(verified),
    sort,
    page,
    perPage: 25,
  };
  const list = useQuery({ ...trpc.admin.users.list.queryOptions(input), placeholderData: keepPreviousData });
  const resetPage =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };

  return (
    <section className="admin-section" aria-labelledby="users-heading">
      <h2 id="users-heading" className="sr-only">
        Users
      </h2>
      <div className="admin-filters">
        <label className="field admin-search">
          <span className="field-label">Search email</span>
          <input
            className="input"
            type="search"
            value={search}
            maxLength={255}
            placeholder="name@example.com"
            onChange={(event) => resetPage(setSearch)(event.target.value)}
            data-testid="admin-user-search"
          />
        </label>
        <label className="field">
          <span className="field-label">Tier</span>
          <select className="input" value={tier} onChange={(event) => resetPage(setTier)(event.target.value)}>
            <option value="">Any</option>
            {SUBSCRIPTION_TIERS.map((item) => (
              <option key={item} value={item}>
                {TIERS[item].label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select className="input" value={role} onChange={(event) => resetPage(setRole)(event.target.value)}>
            <option value="">Any</option>
            {ROLES.map((item) => (
              <option key={item} value={item}>
                {ROLE_LABELS[item]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Active</span>
          <select
            className="input"
            value={active}
            onChange={(event) => resetPage(setActive)(event.target.value)}
          >
            <option value="">Any</option>
            <option value="yes">Active</option>
            <option value="no">Deactivated</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Email</span>
          <select
            className="input"
            value={verified}
            onChange={(event) => resetPage(setVerified)(event.target.value)}
          >
            <option value="">Any</option>
            <option value="yes">Verified</option>
            <option value="no">Unverified</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Sort</span>
          <select
            className="input"
            value={sort}
            onChange={(event) =>
              resetPage(setSort)(
                ADMIN_USER_SORTS.find((item) => item === event.target.value) ?? 'created_desc',
              )
            }
          >
            {ADMIN_USER_SORTS.map((item) => (
              <option key={item} value={item}>
                {SORT_LABELS[item]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error ? <Callout tone="error" title={errorMessage(list.error)} /> : null}
      {list.data ? (
        <>
          <div className="table-wrap">
            <table className="table admin-table" data-testid="admin-users-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Credits used
                  </th>
                  <th scope="col">Last access</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((row) => (
                  <tr
                    key={row.id}
                    className="admin-row"
                    tabIndex={0}
                    aria-label={`Open ${row.email}`}
                    onClick={() => setOpenId(row.id)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' || event.key === ' ') {
                        event.preventDefault();
                        setOpenId(row.id);
                      }
                    }}
                    data-testid="admin-user-row"
                  >
                    <td className="admin-email">{row.email}</td>
                    <td>{TIERS[row.tier].label}</td>
                    <td>{ROLE_LABELS[row.role]}</td>
                    <td>
                      {row.isActive ? (row.isVerified ? 'Active' : 'Unverified') : 'Deactivated'}
                      {row.mockMode ? ' · mock' : ''}
                    </td>
                    <td className="num">
                      {formatInteger(row.creditsUsed)} / {formatInteger(row.creditsAllocated)}
                    </td>
                    <td>{row.lastAccess ? formatDateTime(row.lastAccess, timeZone) : 'Never'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination info={list.data} noun="users" onPage={setPage} />
        </>
      ) : list.isPending ? (
        <p className="muted">Loading users…</p>
      ) : null}
      {openId !== null ? <UserDrawer id={openId} me={me} onClose={() => setOpenId(null)} /> : null}
    </section>
  );
}
