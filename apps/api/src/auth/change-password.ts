import type { Session, User } from '@compareintel/db';
import { AppError, type TAccepted, type TChangePasswordInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { passwordChangedMail } from './auth-mails';
import { hashPassword, verifyPassword } from './password';
import { endUserSessions } from './sessions';

/**
 * Proves the signed-in user knows the password (counted per user, so a stolen session cannot guess it,
 * and nobody else's failed sign-ins can block it). Throws BAD_REQUEST with a field message otherwise.
 */
export async function confirmPassword(
  { rateLimits }: Pick<AppContext, 'rateLimits'>,
  user: User,
  password: string,
  field: string,
): Promise<void> {
  await rateLimits.consume('reauthPerUser', String(user.id));
  if (await verifyPassword(password, user.password_hash)) return;
  const message = 'Your current password is not correct.';
  throw new AppError('BAD_REQUEST', message, { fieldErrors: { [field]: [message] } });
}

/** A new password; every other session of the user ends, and a pending reset link stops working. */
export async function changePassword(
  deps: Pick<AppContext, 'db' | 'config' | 'mailer' | 'rateLimits'> & { user: User; session: Session | null },
  input: TChangePasswordInput,
): Promise<TAccepted> {
  const { db, config, mailer, user, session } = deps;
  await confirmPassword(deps, user, input.currentPassword, 'currentPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await db.models.User.transaction(async (trx) => {
    await db.models.User.query(trx)
      .findById(user.id)
      .patch({ password_hash: passwordHash, reset_token: null, reset_token_expires: null });
    await endUserSessions({ db, trx }, user.id, { except: session?.id ?? null });
  });
  mailer.send(passwordChangedMail(config, user.email));
  return { ok: true };
}
