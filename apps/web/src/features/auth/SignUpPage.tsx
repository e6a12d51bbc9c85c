import { TIERS, type TTheme, ZRegisterInput } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { EmailField, NewPasswordField } from '../../components/Field';
import { browserTimeZone } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { currentTheme } from '../../lib/theme';
import { trpc, trpcClient } from '../../lib/trpc';
import { useMutationForm } from '../../lib/use-mutation-form';
import { offerImport } from '../conversations/import-offer';
import { AuthCard } from './AuthCard';
import { refreshAfterAuthChange } from './session';

/** The account starts as this browser is: its theme (no flip on sign-in) and its time zone. */
function browserDefaults(): { theme: TTheme; timezone?: string } {
  const timezone = browserTimeZone();
  return { theme: currentTheme(), ...(timezone ? { timezone } : {}) };
}

/**
 * Sign up, then sign straight in: the account works at once (with visitor limits) and the verification
 * mail unlocks the Free plan. When the address was already registered the API answers the same way,
 * so if the sign-in fails we simply point to the inbox.
 */
export function SignUpPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useMutationForm();
  const { errors } = form;
  const [checkInbox, setCheckInbox] = useState<string | null>(null);
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: async (_data, input) => {
        try {
          await trpcClient.auth.login.mutate({ email: input.email, password: input.password });
          // Conversations made as a visitor in this browser are offered to the new account.
          offerImport();
          await refreshAfterAuthChange();
          navigate('/');
        } catch {
          setCheckInbox(input.email);
        }
      },
      onError: form.showServerErrors,
    }),
  );

  if (checkInbox) {
    return (
      <AuthCard title="Check your inbox">
        <p>
          We sent a message to <strong>{checkInbox}</strong>. Open the link in it to verify your email, then{' '}
          <Link href="/signin">sign in</Link>.
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create your free account"
      subtitle={`${TIERS.free.credits} credits a day, ${TIERS.free.modelsPerComparison} models per comparison and your last ${TIERS.free.savedConversations} comparisons saved.`}
    >
      <form
        className="form"
        {...form.formProps(ZRegisterInput, () => ({ email, password, ...browserDefaults() }), register)}
      >
        {form.errorMessage(register) ? <Callout tone="error">{form.errorMessage(register)}</Callout> : null}
        <EmailField
          label="Email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={errors.email}
        />
        <NewPasswordField
          label="Password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={errors.password}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={register.isPending}>
          {register.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <div className="auth-links">
        <span>
          Already have an account? <Link href="/signin">Sign in</Link>
        </span>
      </div>
    </AuthCard>
  );
}
