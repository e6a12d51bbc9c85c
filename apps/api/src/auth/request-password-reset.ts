import type { TAccepted, TRequestPasswordResetInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { passwordResetMail } from './auth-mails';
import { emailIpKey, emailKey, ipKey } from './rate-limits';
import { newToken } from './tokens';

export const RESET_TOKEN_TTL_MS = 3_600_000;

/**
 * Mails a single-use reset link valid 1 hour to an active account (a newer request replaces an older
 * link). The answer is the same whether or not the email is registered.
 */
export async function requestPasswordReset(
  deps: Pick<AppContext, 'db' | 'config' | 'now' | 'mailer' | 'rateLimits' | 'request' | 'background'>,
  input: TRequestPasswordResetInput,
): Promise<TAccepted> {
  const { db, config, mailer, rateLimits, request } = deps;
  await rateLimits.consume('resetPerIp', ipKey(request.ip));
  await rateLimits.consume('resetPerEmailIp', emailIpKey(input.email, request.ip));
  await rateLimits.consume('resetPerEmail', emailKey(input.email));
  // After the answer: its timing must not tell whether the email is registered.
  deps.background.run('password reset request', async () => {
    const user = await db.models.User.query().findOne({ email: input.email });
    if (!user?.is_active) return;
    const reset = newToken();
    await user.$query().patch({
      reset_token: reset.hash,
      reset_token_expires: new Date(deps.now().getTime() + RESET_TOKEN_TTL_MS),
    });
    mailer.send(passwordResetMail(config, user.email, reset.token));
  });
  return { ok: true };
}
