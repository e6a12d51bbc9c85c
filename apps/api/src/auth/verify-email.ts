import { AppError, type TAccepted, type TVerifyEmailInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { hashToken } from './tokens';

export const INVALID_VERIFICATION_LINK =
  'This verification link is invalid or has expired. Sign in and ask for a new one.';

/** Marks the email verified. The token works once (the same update clears it) and for 24 hours. */
export async function verifyEmail(
  { db, now }: Pick<AppContext, 'db' | 'now'>,
  input: TVerifyEmailInput,
): Promise<TAccepted> {
  const verified = await db.models.User.query()
    .where('verification_token', hashToken(input.token))
    .where('verification_token_expires', '>', now().toISOString())
    .patch({ is_verified: true, verification_token: null, verification_token_expires: null });
  if (verified !== 1) throw new AppError('BAD_REQUEST', INVALID_VERIFICATION_LINK);
  return { ok: true };
}
