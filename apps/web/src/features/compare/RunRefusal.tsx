import { TIERS, type TPublicUser } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { Callout } from '../../components/Callout';
import type { ReadableError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useTimeZone } from '../preferences/use-preferences';

function ResendVerification({ email }: { email: string }) {
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  if (resend.isSuccess) return <span className="muted">Sent — check your inbox.</span>;
  return (
    <button
      type="button"
      className="btn btn-secondary btn-sm"
      disabled={resend.isPending}
      onClick={() => resend.mutate({ email })}
    >
      Resend verification email
    </button>
  );
}

/**
 * Why a comparison was refused before it ran, and what the person can do about it: sign up, verify,
 * pick fewer or cheaper models, wait for the reset, or move to the plan that opens the model.
 */
export function RunRefusal({
  error,
  user,
  onDismiss,
}: {
  error: ReadableError;
  user: TPublicUser | null;
  onDismiss: () => void;
}) {
  const timeZone = useTimeZone();
  if (error.code === 'PAYMENT_REQUIRED') {
    const resets = user?.credits.resetsAt
      ? `Your credits refill ${formatDateTime(user.credits.resetsAt, timeZone, true)}.`
      : null;
    return (
      <Callout
        tone="warning"
        title="Not enough credits for this comparison"
        onDismiss={onDismiss}
        testId="run-refusal"
        actions={
          user ? (
            <>
              <Link className="btn btn-primary btn-sm" href="/pricing">
                Upgrade or allow overage
              </Link>
              <Link className="btn btn-secondary btn-sm" href="/settings/usage">
                See usage
              </Link>
            </>
          ) : (
            <Link className="btn btn-primary btn-sm" href="/signup">
              Sign up free for {TIERS.free.credits} credits a day
            </Link>
          )
        }
      >
        <p>{error.message}</p>
        {resets ? <p>{resets}</p> : null}
      </Callout>
    );
  }
  if (error.code === 'FORBIDDEN' && error.requiredTier) {
    const tier = TIERS[error.requiredTier];
    const needsAccount = error.requiredTier === 'free' && user === null;
    const needsVerification = user !== null && !user.isVerified;
    return (
      <Callout
        tone="warning"
        title={
          needsAccount
            ? 'Sign up to use this'
            : needsVerification
              ? 'Verify your email'
              : `Needs the ${tier.label} plan`
        }
        onDismiss={onDismiss}
        testId="run-refusal"
        actions={
          needsAccount ? (
            <Link className="btn btn-primary btn-sm" href="/signup">
              Sign up free
            </Link>
          ) : needsVerification ? (
            <ResendVerification email={user.email} />
          ) : tier.paid ? (
            <Link className="btn btn-primary btn-sm" href="/pricing">
              Upgrade to {tier.label}
            </Link>
          ) : null
        }
      >
        <p>{error.message}</p>
        {!needsAccount && !needsVerification && tier.paid ? (
          <p>
            {tier.label} costs ${tier.priceMonthlyUsd}/month and compares up to {tier.modelsPerComparison}{' '}
            models with {tier.credits.toLocaleString('en-US')} credits a month. Remove the locked models to
            run now.
          </p>
        ) : null}
      </Callout>
    );
  }
  const retry =
    error.retryAfterSeconds !== null
      ? ` You can try again in ${Math.ceil(error.retryAfterSeconds)} seconds.`
      : '';
  return (
    <Callout tone="error" title="The comparison did not start" onDismiss={onDismiss} testId="run-refusal">
      <p>
        {error.message}
        {retry}
      </p>
    </Callout>
  );
}
