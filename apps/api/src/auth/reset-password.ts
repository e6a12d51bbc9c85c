import { AppError, type TAccepted, type TResetPasswordInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { recordVerifiedPool } from '../credits/credit-pool';
import { passwordChangedMail } from './auth-mails';
import { hashPassword } from './password';
import { endUserSessions } from './sessions';
import { hashToken } from './tokens';

export const INVALID_RESET_LINK =
  'This password reset link is invalid or has expired. Please ask for a new one.';

/**
 * Sets a new password from a reset link (single use, 1 hour) and signs the account out everywhere else.
 * Opening the mailed link also proves the email, so an unverified account becomes verified.
 */
export async function resetPassword(
  deps: Pick<AppContext, 'db' | 'config' | 'now' | 'mailer' | 'session'>,
  input: TResetPasswordInput,
): Promise<TAccepted> {
  const { db, config, mailer, session } = deps;
  const tokenHash = hashToken(input.token);
  const user = await db.models.User.query()
    .findOne({ reset_token: tokenHash, is_active: true })
    .where('reset_token_expires', '>', deps.now().toISOString());
  if (!user) throw new AppError('BAD_REQUEST', INVALID_RESET_LINK);
  const passwordHash = await hashPassword(input.password);
  await db.models.User.transaction(async (trx) => {
    // Conditional on the token still being there: of two uses at the same instant, one wins.
    const changed = await db.models.User.query(trx).where({ id: user.id, reset_token: tokenHash }).patch({
      password_hash: passwordHash,
      reset_token: null,
      reset_token_expires: null,
      is_verified: true,
      verification_token: null,
      verification_token_expires: null,
    });
    if (changed !== 1) throw new AppError('BAD_REQUEST', INVALID_RESET_LINK);
    await recordVerifiedPool(trx, user, deps.now());
    const keep = session?.user_id === user.id ? session.id : null;
    await endUserSessions({ db, trx }, user.id, { except: keep });
  });
  mailer.send(passwordChangedMail(config, user.email));
  return { ok: true };
}
