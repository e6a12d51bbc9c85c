import {
  hasPermission,
  isAdminRole,
  ROLES,
  type Role,
  SUBSCRIPTION_TIERS,
  type TAdminUserUpdateInput,
  TIERS,
  type TPublicUser,
} from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Callout } from '../../components/Callout';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatInteger } from '../../lib/format';
import { queryClient, trpc } from '../../lib/trpc';
import { useTimeZone } from '../preferences/use-preferences';
import { UserBilling } from './UserBilling';
import { ROLE_LABELS } from './UsersPanel';

type Pending = 'deactivate' | 'reset' | 'delete' | null;

function refreshAdmin(): void {
  void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
}

/** One user's detail in a side drawer (a modal dialog: focus stays inside, Escape closes), with the actions. */
export function UserDrawer({ id, me, onClose }: { id: number; me: TPublicUser; onClose(): void }) {
  const timeZone = useTimeZone();
  const ref = useRef<HTMLDialogElement>(null);
  const detail = useQuery(trpc.admin.users.get.queryOptions({ id }));
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [tier, setTier] = useState('');
  const [role, setRole] = useState('');
  const user = detail.data;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  useEffect(() => {
    if (user) {
      setTier(user.tier);
      setRole(user.role);
    }
  }, [user]);

  const done = (text: string) => () => {
    setNotice({ tone: 'success', text });
    setConfirm(null);
    refreshAdmin();
  };
  const failed = (error: unknown) => {
    setNotice({ tone: 'error', text: errorMessage(error) });
    setConfirm(null);
  };
  const update = useMutation(trpc.admin.users.update.mutationOptions({ onError: failed }));
  const reset = useMutation(
    trpc.admin.users.resetCredits.mutationOptions({
      onSuccess: done('Credits reset to 0.'),
      onError: failed,
    }),
  );
  const resend = useMutation(
    trpc.admin.users.resendVerification.mutationOptions({
      onSuccess: done('A new verification link is on its way.'),
      onError: failed,
    }),
  );
  const remove = useMutation(
    trpc.admin.users.delete.mutationOptions({
      onSuccess: () => {
        refreshAdmin();
        onClose();
      },
      onError: failed,
    }),
  );
  const change = (input: Omit<TAdminUserUpdateInput, 'id'>, text: string) =>
    update.mutate({ id, ...input }, { onSuccess: done(text) });

  const myRole: Role = me.role;
  const canWrite = hasPermission({ role: myRole }, 'users.write');
  const canGrant = hasPermission({ role: myRole }, 'roles.grant') && user !== undefined && user.id !== me.id;
  const canDelete = hasPermission({ role: myRole }, 'users.delete') && user?.id !== me.id;
  const grantable = ROLES.filter((item) => myRole === 'super_admin' || !isAdminRole(item));
  const busy = update.isPending || reset.isPending || resend.isPending || remove.isPending;

  return (
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby="drawer-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      data-testid="admin-user-drawer"
    >
      <header className="drawer-head">
        <h2 id="drawer-title" className="drawer-title">
          {user?.email ?? 'User'}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
          <Icon name="x" size={18} />
        </button>
      </header>
      {detail.error ? <Callout tone="error" title={errorMessage(detail.error)} /> : null}
      {notice ? (
        <Callout
          tone={notice.tone}
          title={notice.text}
          onDismiss={() => setNotice(null)}
          testId="drawer-notice"
        />
      ) : null}
      {user ? (
        <div className="drawer-body">
          <dl className="facts admin-facts">
            <dt>Tier</dt>
            <dd>{TIERS[user.tier].label}</dd>
            <dt>Role</dt>
            <dd data-testid="drawer-role">{ROLE_LABELS[user.role]}</dd>
            <dt>Status</dt>
            <dd>
              {user.isActive ? 'Active' : 'Deactivated'} · {user.isVerified ? 'verified' : 'unverified'}
              {user.mockMode ? ' · mock mode' : ''}
            </dd>
            <dt>Credits this period</dt>
            <dd>
              {formatInteger(user.usage.creditsThisPeriod)} of {formatInteger(user.usage.creditsAllocated)}
            </dd>
            <dt>Lifetime credits</dt>
            <dd>{formatInteger(user.usage.creditsLifetime)}</dd>
            <dt>Comparisons</dt>
            <dd>{formatInteger(user.usage.comparisons)}</dd>
            <dt>Last access</dt>
            <dd>{user.usage.lastAccess ? formatDateTime(user.usage.lastAccess, timeZone) : 'Never'}</dd>
            <dt>Subscription</dt>
            <dd>
              {user.subscription.status}, {user.subscription.period}
              {user.subscription.billingPeriodEnd
                ? ` · period ends ${formatDateTime(user.subscription.billingPeriodEnd, timeZone)}`
                : ''}
            </dd>
            <dt>Permissions</dt>
            <dd>{user.permissions.length > 0 ? user.permissions.join(', ') : 'None'}</dd>
            <dt>Joined</dt>
            <dd>{formatDateTime(user.createdAt, timeZone)}</dd>
          </dl>

          {canWrite ? (
            <div className="drawer-actions">
              <div className="inline-form">
                <label className="field">
                  <span className="field-label">Tier</span>
                  <select
                    className="input"
                    value={tier}
                    onChange={(event) => setTier(event.target.value)}
                    data-testid="drawer-tier"
                  >
                    {SUBSCRIPTION_TIERS.map((item) => (
                      <option key={item} value={item}>
                        {TIERS[item].label} ({formatInteger(TIERS[item].credits)} credits a{' '}
                        {TIERS[item].period})
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={busy || tier === user.tier}
                  onClick={() => {
                    const next = SUBSCRIPTION_TIERS.find((item) => item === tier);
                    if (next) change({ tier: next }, `Tier changed to ${TIERS[next].label}.`);
                  }}
                  data-testid="drawer-save-tier"
                >
                  Save tier
                </button>
              </div>
              {canGrant ? (
                <div className="inline-form">
                  <label className="field">
                    <span className="field-label">Role</span>
                    <select
                      className="input"
                      value={role}
                      onChange={(event) => setRole(event.target.value)}
                      data-testid="drawer-role-select"
                    >
                      {grantable.map((item) => (
                        <option key={item} value={item}>
                          {ROLE_LABELS[item]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="btn btn-secondary"
                    disabled={busy || role === user.role}
                    onClick={() => {
                      const next = ROLES.find((item) => item === role);
                      if (next) change({ role: next }, `Role changed to ${ROLE_LABELS[next]}.`);
                    }}
                  >
                    Save role
                  </button>
                </div>
              ) : null}
              <label className="switch">
                <input
                  type="checkbox"
                  checked={user.mockMode}
                  disabled={busy}
                  onChange={(event) =>
                    change(
                      { mockMode: event.target.checked },
                      event.target.checked ? 'Mock mode on.' : 'Mock mode off.',
                    )
                  }
                />
                <span>Mock mode (answers from the mock model, no cost)</span>
              </label>
              <div className="button-row">
                {user.isActive ? (
                  user.id !== me.id ? (
                    <button
                      type="button"
                      className="btn btn-secondary"
                      disabled={busy}
                      onClick={() => setConfirm('deactivate')}
                    >
                      Deactivate
                    </button>
                  ) : null
                ) : (
                  <button
                    type="button"
                    className="btn btn-secondary"
                    disabled={busy}
                    onClick={() => change({ isActive: true }, 'Account activated.')}
                  >
                    Activate
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={busy}
                  onClick={() => setConfirm('reset')}
                >
                  Reset credits
                </button>
                {!user.isVerified ? (
                  <button
                    type="button"
                    className="btn btn-secondary"
                    disabled={busy}
                    onClick={() => resend.mutate({ id })}
                  >
                    Resend verification
                  </button>
                ) : null}
                {canDelete ? (
                  <button
                    type="button"
                    className="btn btn-danger"
                    disabled={busy}
                    onClick={() => setConfirm('delete')}
                  >
                    Delete
                  </button>
                ) : null}
              </div>
            </div>
          ) : (
            <p className="muted">Your role can look at accounts but not change them.</p>
          )}

          {user.usage.recent.length > 0 ? (
            <>
              <h3 className="drawer-subtitle">Last comparisons</h3>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Models</th>
                      <th scope="col" className="num">
                        OK / failed
                      </th>
                      <th scope="col" className="num">
                        Credits
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {user.usage.recent.map((row) => (
                      <tr key={row.id}>
                        <td>{formatDateTime(row.createdAt, timeZone)}</td>
                        <td>{row.modelsUsed.join(', ')}</td>
                        <td className="num">
                          {row.modelsSuccessful} / {row.modelsFailed}
                        </td>
                        <td className="num">{row.credits ?? 0}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          <UserBilling billing={user.billing} />
        </div>
      ) : null}

      <ConfirmDialog
        open={confirm === 'deactivate'}
        title={`Deactivate ${user?.email ?? 'this user'}?`}
        confirmLabel="Deactivate"
        danger
        busy={update.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => change({ isActive: false }, 'Account deactivated; its sessions are ended.')}
      >
        They are signed out everywhere at once and cannot sign in until activated again.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'reset'}
        title="Reset this period's credits?"
        confirmLabel="Reset credits"
        busy={reset.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => reset.mutate({ id })}
      >
        Credits used this period go back to 0 (written to their credit history).
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={`Delete ${user?.email ?? 'this user'}?`}
        confirmLabel="Delete for good"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => remove.mutate({ id })}
      >
        Their conversations, preferences and billing rows are deleted. This cannot be undone.
      </ConfirmDialog>
    </dialog>
  );
}
