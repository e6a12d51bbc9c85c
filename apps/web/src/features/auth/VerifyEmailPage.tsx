import { TIERS, ZResendVerificationInput } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Callout } from '../../components/Callout';
import { Field } from '../../components/Field';
import { PageLoading } from '../../components/Spinner';
import { readError } from '../../lib/errors';
import { type FieldErrors, validateForm } from '../../lib/form';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { AuthCard } from './AuthCard';
import { refreshAfterAuthChange, useSession } from './session';

function ResendForm({ initialEmail }: { initialEmail: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [errors, setErrors] = useState<FieldErrors>({});
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  if (resend.isSuccess)
    return (
      <Callout tone="success">If that address has an unverified account, a new link is on its way.</Callout>
    );
  return (
    <form
      className="form"
      noValidate
      onChange={() => {
        setErrors({});
        resend.reset();
      }}
      onSubmit={(event) => {
        event.preventDefault();
        const checked = validateForm(ZResendVerificationInput, { email });
        if (!checked.ok) return setErrors(checked.errors);
        setErrors({});
        resend.mutate(checked.data);
      }}
    >
      {resend.error ? <Callout tone="error">{readError(resend.error).message}</Callout> : null}
      <Field
        label="Email"
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        errors={errors.email}
      />
      <button type="submit" className="btn btn-secondary btn-block" disabled={resend.isPending}>
        Send a new link
      </button>
    </form>
  );
}

/** Landing page of the mailed link `/verify-email?token=…`: verifies once, then says what changed. */
export function VerifyEmailPage({ token }: { token: string | null }) {
  const { user } = useSession();
  const verify = useMutation(
    trpc.auth.verifyEmail.mutationOptions({ onSuccess: () => refreshAfterAuthChange() }),
  );
  const sent = useRef(false);
  useEffect(() => {
    // The token works once: never send it twice (StrictMode runs effects twice in development).
    if (sent.current || !token) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  if (!token) {
    return (
      <AuthCard
        title="Verification link incomplete"
        subtitle="Open the link from the email exactly as it was sent."
      >
        <ResendForm initialEmail={user?.email ?? ''} />
      </AuthCard>
    );
  }
  if (verify.isSuccess) {
    return (
      <AuthCard
        title="Your email is verified"
        subtitle={`The ${TIERS.free.label} plan is unlocked: ${TIERS.free.credits} credits a day.`}
      >
        <div data-testid="verified">
          {user ? (
            <Link className="btn btn-primary btn-block" href="/">
              Start comparing
            </Link>
          ) : (
            <Link className="btn btn-primary btn-block" href="/signin">
              Sign in
            </Link>
          )}
        </div>
      </AuthCard>
    );
  }
  if (verify.isError) {
    return (
      <AuthCard title="This link did not work">
        <Callout tone="error">{readError(verify.error).message}</Callout>
        <ResendForm initialEmail={user?.email ?? ''} />
      </AuthCard>
    );
  }
  return <PageLoading label="Verifying your email…" />;
}
