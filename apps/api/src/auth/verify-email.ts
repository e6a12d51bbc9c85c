import { AppError, type TAccepted, type TVerifyEmailInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { recordVerifiedPool } from '../credits/credit-pool';
import { hashToken } from './tokens';

export const INVALID_VERIFICATION_LINK =
  'This verification link is invalid or has expired. Sign in and ask for a new one.';

/** Marks the email verified. The token works once (the same update clears it) and for 24 hours. */
export async function verifyEmail(
  { db, now }: Pick<AppContext, 'db' | 'now'>,
  input: TVerifyEmailInput,
): Promise<TAccepted> {
  const at = now();
  const verified = await db.models.User.transaction(async (trx) => {
    const user = await db.models.User.query(trx)
      .findOne({ verification_token: hashToken(input.token) })
      .where('verification_token_expires', '>', at.toISOString())
      .forUpdate();
    if (!user) return false;
    await db.models.User.query(trx)
      .findById(user.id)
      .patch({ is_verified: true, verification_token: null, verification_token_expires: null });
    await recordVerifiedPool(trx, user, at);
    return true;
  });
  if (!verified) throw new AppError('BAD_REQUEST', INVALID_VERIFICATION_LINK);
  return { ok: true };
}
