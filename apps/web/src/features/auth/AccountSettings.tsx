import { TIERS, ZChangePasswordInput, ZDeleteAccountInput } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CurrentPasswordField, NewPasswordField } from '../../components/Field';
import { formatInteger } from '../../lib/format';
import { navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useMutationForm } from '../../lib/use-mutation-form';
import { refreshAfterAuthChange, useSession } from './session';

function ChangePassword() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const form = useMutationForm();
  const { errors } = form;
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNew('');
      },
      onError: form.showServerErrors,
    }),
  );
  return (
    <form
      className="settings-block form"
      aria-labelledby="change-password"
      {...form.formProps(ZChangePasswordInput, () => ({ currentPassword, newPassword }), change)}
    >
      <h2 id="change-password" className="settings-heading">
        Change password
      </h2>
      {change.isSuccess ? (
        <Callout tone="success">Your password was changed. Other devices were signed out.</Callout>
      ) : null}
      {form.errorMessage(change) ? <Callout tone="error">{form.errorMessage(change)}</Callout> : null}
      <CurrentPasswordField
        label="Current password"
        value={currentPassword}
        onChange={(event) => setCurrent(event.target.value)}
        errors={errors.currentPassword}
      />
      <NewPasswordField
        label="New password"
        value={newPassword}
        onChange={(event) => setNew(event.target.value)}
        errors={errors.newPassword}
      />
      <div className="settings-actions">
        <button type="submit" className="btn btn-primary btn-sm" disabled={change.isPending}>
          Change password
        </button>
      </div>
    </form>
  );
}

function DeleteAccount() {
  const [password, setPassword] = useState('');
  const form = useMutationForm();
  const { errors } = form;
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.auth.deleteAccount.mutationOptions({
      onSuccess: async () => {
        await refreshAfterAuthChange();
        navigate('/');
      },
      onError: (error) => {
        setConfirming(false);
        form.showServerErrors(error);
      },
    }),
  );
  return (
    <form
      className="settings-block form danger-zone"
      aria-labelledby="delete-account"
      // Valid input opens the confirmation; the dialog sends the mutation.
      {...form.formProps(
        ZDeleteAccountInput,
        () => ({ password }),
        remove,
        () => setConfirming(true),
      )}
    >
      <h2 id="delete-account" className="settings-heading">
        Delete account
      </h2>
      <p className="field-hint">
        Your conversations, preferences and usage history are deleted with it. This cannot be undone.
      </p>
      {form.errorMessage(remove) ? <Callout tone="error">{form.errorMessage(remove)}</Callout> : null}
      <CurrentPasswordField
        label="Password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        errors={errors.password}
      />
      <div className="settings-actions">
        <button type="submit" className="btn btn-danger btn-sm">
          Delete my account…
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete your account for good?"
        confirmLabel="Delete account"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate({ password })}
        onCancel={() => setConfirming(false)}
      >
        <p>Everything in it is removed at once.</p>
      </ConfirmDialog>
    </form>
  );
}

/** Who you are, your plan, and the account's own actions. */
export function AccountSettings() {
  const { user } = useSession();
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  if (!user) return null;
  const tier = TIERS[user.tier];
  return (
    <>
      <section className="settings-block" aria-labelledby="account-heading">
        <h2 id="account-heading" className="settings-heading">
          Account
        </h2>
        <dl className="facts">
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Plan</dt>
            <dd>
              {tier.label} · {formatInteger(tier.credits)} credits a {tier.period === 'day' ? 'day' : 'month'}{' '}
              · {tier.modelsPerComparison} models per comparison · {tier.savedConversations} saved
              conversations
            </dd>
          </div>
          <div>
            <dt>Email status</dt>
            <dd>
              {user.isVerified ? (
                'Verified'
              ) : (
                <>
                  Not verified yet — visitor limits apply until you open the link we mailed you.{' '}
                  {resend.isSuccess ? (
                    <span className="muted">A new link is on its way.</span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      onClick={() => resend.mutate({ email: user.email })}
                      disabled={resend.isPending}
                    >
                      Resend the link
                    </button>
                  )}
                </>
              )}
            </dd>
          </div>
        </dl>
      </section>
      <ChangePassword />
      <DeleteAccount />
    </>
  );
}
