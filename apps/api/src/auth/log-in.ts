import type { User } from '@compareintel/db';
import { AppError, type TLoginInput, type TPublicUser, type TSessionToken } from '@compareintel/shared';
import type { AppContext } from '../context';
import { describeUser } from './describe-user';
import { verifyPasswordOf } from './password';
import { emailIpKey, emailKey, ipKey } from './rate-limits';
import { endSession, startSession } from './sessions';

export const WRONG_CREDENTIALS = 'The email or password is not correct.';

type SignInDeps = Pick<AppContext, 'db' | 'config' | 'now' | 'rateLimits' | 'request'>;

/**
 * The user with this email and password, counted against the per-IP and per-email limits. Unknown
 * emails cost the same bcrypt work and get the same answer as a wrong password. A deactivated account
 * is refused only once its password is proven, so the refusal tells a stranger nothing.
 */
export async function authenticate(deps: SignInDeps, input: TLoginInput): Promise<User> {
  const { db, rateLimits, request } = deps;
  await rateLimits.consume('loginPerIp', ipKey(request.ip));
  await rateLimits.consume('loginPerEmailIp', emailIpKey(input.email, request.ip));
  await rateLimits.consume('loginPerEmail', emailKey(input.email));
  const user = await db.models.User.query().findOne({ email: input.email });
  const passwordMatches = await verifyPasswordOf(input.password, user);
  if (!user || !passwordMatches) throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
  if (!user.is_active) {
    throw new AppError(
      'FORBIDDEN',
      'This account has been deactivated. Please contact support if this is a mistake.',
    );
  }
  await rateLimits.reset('loginPerEmailIp', emailIpKey(input.email, request.ip));
  return user;
}

/** Browser sign-in: a new session whose token goes into the HttpOnly cookie, never into the answer. */
export async function logIn(
  deps: SignInDeps & Pick<AppContext, 'cookies' | 'session'>,
  input: TLoginInput,
): Promise<TPublicUser> {
  const user = await authenticate(deps, input);
  // Signing in again (or as someone else) replaces the browser's session rather than orphaning it.
  if (deps.session) await endSession(deps, deps.session.id);
  const { token, session } = await startSession(deps, user, deps.request);
  deps.cookies.set(token, session.expires_at);
  return describeUser(deps, user);
}

/**
 * For typed internal clients (scripts, the CLI, jobs): the same sign-in, but the token is returned for
 * `Authorization: Bearer <token>` and no cookie is set. It is an ordinary session: sliding expiry,
 * ended by logout, password reset or change, deactivation and deletion.
 */
export async function createToken(deps: SignInDeps, input: TLoginInput): Promise<TSessionToken> {
  const user = await authenticate(deps, input);
  const { token, session } = await startSession(deps, user, deps.request);
  return { token, expiresAt: session.expires_at.toISOString() };
}
