import type { TAccepted, TResendVerificationInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { verificationMail } from './auth-mails';
import { emailIpKey, emailKey } from './rate-limits';
import { VERIFICATION_TOKEN_TTL_MS } from './register-user';
import { newToken } from './tokens';

/**
 * A new verification link (the previous one stops working) for an active, unverified account. The answer
 * is the same for unknown, verified and inactive emails.
 */
export async function resendVerification(
  deps: Pick<AppContext, 'db' | 'config' | 'now' | 'mailer' | 'rateLimits' | 'request' | 'background'>,
  input: TResendVerificationInput,
): Promise<TAccepted> {
  const { db, config, mailer, rateLimits, request } = deps;
  await rateLimits.consume('resendPerEmailIp', emailIpKey(input.email, request.ip));
  await rateLimits.consume('resendPerEmail', emailKey(input.email));
  // After the answer: its timing must not tell whether the email is registered.
  deps.background.run('verification resend', async () => {
    const user = await db.models.User.query().findOne({ email: input.email });
    if (!user?.is_active || user.is_verified) return;
    const verification = newToken();
    await user.$query().patch({
      verification_token: verification.hash,
      verification_token_expires: new Date(deps.now().getTime() + VERIFICATION_TOKEN_TTL_MS),
    });
    mailer.send(verificationMail(config, user.email, verification.token));
  });
  return { ok: true };
}
