import type { User } from '@compareintel/db';
import { AppError, type TAccepted, type TDeleteAccountInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { confirmPassword } from './change-password';

/**
 * Deletes the signed-in user's account with the seed's cascades: sessions, preferences, conversations,
 * credit and billing rows go; usage logs and staff audit rows stay with the user id set to null.
 */
export async function deleteAccount(
  deps: Pick<AppContext, 'db' | 'rateLimits' | 'cookies'> & { user: User },
  input: TDeleteAccountInput,
): Promise<TAccepted> {
  const { db, user, cookies } = deps;
  await confirmPassword(deps, user, input.password, 'password');
  if (user.role === 'super_admin') {
    const others = await db.models.User.query()
      .where('role', 'super_admin')
      .whereNot('id', user.id)
      .resultSize();
    if (others === 0) {
      throw new AppError('FORBIDDEN', 'You are the only super admin. Make someone else super admin first.');
    }
  }
  await db.models.User.query().deleteById(user.id);
  cookies.clear();
  return { ok: true };
}
