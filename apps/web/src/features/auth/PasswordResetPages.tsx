import { ZPassword, ZRequestPasswordResetInput, ZResetPasswordInput } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { EmailField, Field, NewPasswordField } from '../../components/Field';
import { readError } from '../../lib/errors';
import { type FieldErrors, validateForm } from '../../lib/form';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useMutationForm } from '../../lib/use-mutation-form';
import { AuthCard } from './AuthCard';

/** Ask for a reset link. The answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const form = useMutationForm();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  if (request.isSuccess) {
    return (
      <AuthCard title="Check your inbox">
        <p>
          If an account exists for <strong>{email.trim()}</strong>, we sent it a link to choose a new
          password. The link works once, for one hour.
        </p>
        <Link href="/signin">Back to sign in</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Forgot your password?" subtitle="We will email you a link to choose a new one.">
      <form className="form" {...form.formProps(ZRequestPasswordResetInput, () => ({ email }), request)}>
        {form.errorMessage(request) ? <Callout tone="error">{form.errorMessage(request)}</Callout> : null}
        <EmailField
          label="Email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={form.errors.email}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={request.isPending}>
          Send reset link
        </button>
      </form>
      <div className="auth-links">
        <Link href="/signin">Back to sign in</Link>
      </div>
    </AuthCard>
  );
}

/** Landing page of `/reset-password?token=…`: choose a new password (other sessions end). */
export function ResetPasswordPage({ token }: { token: string | null }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({ onError: (error) => setErrors(readError(error).fieldErrors) }),
  );
  if (reset.isSuccess) {
    return (
      <AuthCard
        title="Password changed"
        subtitle="Other devices were signed out. Sign in with your new password."
      >
        <Link className="btn btn-primary btn-block" href="/signin">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      {!token ? (
        <Callout tone="error" title="This link is incomplete">
          Open the link from the email exactly as it was sent, or{' '}
          <Link href="/forgot-password">ask for a new one</Link>.
        </Callout>
      ) : (
        <form
          className="form"
          noValidate
          onChange={() => {
            setErrors({});
            reset.reset();
          }}
          onSubmit={(event) => {
            event.preventDefault();
            const strong = validateForm(ZPassword, password);
            if (!strong.ok) return setErrors({ password: strong.errors.form ?? [] });
            if (password !== confirm) return setErrors({ confirm: ['The two passwords do not match.'] });
            const checked = validateForm(ZResetPasswordInput, { token, password });
            if (!checked.ok) return setErrors(checked.errors);
            setErrors({});
            reset.mutate(checked.data);
          }}
        >
          {reset.error && Object.keys(errors).length === 0 ? (
            <Callout tone="error">
              {readError(reset.error).message} <Link href="/forgot-password">Ask for a new link</Link>.
            </Callout>
          ) : null}
          {errors.token ? <Callout tone="error">{errors.token.join(' ')}</Callout> : null}
          <NewPasswordField
            label="New password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            errors={errors.password}
          />
          <Field
            label="Repeat the new password"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            errors={errors.confirm}
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={reset.isPending}>
            Save new password
          </button>
        </form>
      )}
    </AuthCard>
  );
}
