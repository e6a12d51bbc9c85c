import { ZLoginInput } from '@compareintel/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { CurrentPasswordField, EmailField } from '../../components/Field';
import { Link, navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useMutationForm } from '../../lib/use-mutation-form';
import { offerImport } from '../conversations/import-offer';
import { AuthCard } from './AuthCard';
import { refreshAfterAuthChange } from './session';

/** Only paths inside the app are followed after sign-in (never another site). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage({ next }: { next: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useMutationForm();
  const { errors } = form;
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        // Conversations made as a visitor in this browser are offered to the account.
        offerImport();
        await refreshAfterAuthChange();
        navigate(safeNext(next));
      },
      onError: form.showServerErrors,
    }),
  );
  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Your comparisons and credits are waiting.">
      <form className="form" {...form.formProps(ZLoginInput, () => ({ email, password }), login)}>
        {form.errorMessage(login) ? <Callout tone="error">{form.errorMessage(login)}</Callout> : null}
        <EmailField
          label="Email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={errors.email}
        />
        <CurrentPasswordField
          label="Password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={errors.password}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="auth-links">
        <Link href="/forgot-password">Forgot your password?</Link>
        <span>
          New here? <Link href="/signup">Create a free account</Link>
        </span>
      </div>
    </AuthCard>
  );
}
