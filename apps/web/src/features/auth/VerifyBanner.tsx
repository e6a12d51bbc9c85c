import { useMutation } from '@tanstack/react-query';
import { Callout } from '../../components/Callout';
import { trpc } from '../../lib/trpc';
import { useSession } from './session';

/** Signed in but not verified: visitor limits apply until the mailed link is opened. */
export function VerifyBanner() {
  const { user } = useSession();
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  if (!user || user.isVerified) return null;
  return (
    <div className="banner-row">
      <Callout
        tone="info"
        testId="verify-banner"
        title="Check your inbox to verify your email"
        actions={
          resend.isSuccess ? (
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
          )
        }
      >
        We sent a link to {user.email}. Until you open it, visitor limits apply.
      </Callout>
    </div>
  );
}
