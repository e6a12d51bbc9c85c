import { recordPoolResize } from '@compareintel/db';
import { nextDailyReset, type TAccepted, TIERS, type TRegisterInput } from '@compareintel/shared';
import { UniqueViolationError } from 'objection';
import type { AppContext } from '../context';
import { poolSizeOf } from '../credits/credit-pool';
import { existingAccountMail, verificationMail } from './auth-mails';
import { hashPassword } from './password';
import { ipKey } from './rate-limits';
import { newToken } from './tokens';

export const VERIFICATION_TOKEN_TTL_MS = 24 * 3_600_000;

type RegisterDeps = Pick<AppContext, 'db' | 'config' | 'now' | 'mailer' | 'rateLimits' | 'request'>;

/**
 * Creates an unverified free account with its preferences row, in one transaction, and mails the
 * verification link. For an email that is already registered the answer is the same and the owner is
 * mailed a note instead, so sign-up never reveals who has an account. Registering does not sign in.
 */
export async function registerUser(deps: RegisterDeps, input: TRegisterInput): Promise<TAccepted> {
  const { rateLimits, request } = deps;
  await rateLimits.consume('registerPerIp', ipKey(request.ip));
  // A new account costs a few writes more than a known email: every answer waits for the same floor,
  // so its time says nothing about which it was.
  const started = performance.now();
  const answer = await createAccount(deps, input);
  const wait = REGISTER_ANSWER_FLOOR_MS - (performance.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return answer;
}

/** The least time a sign-up answer takes (bcrypt alone takes most of it). */
export const REGISTER_ANSWER_FLOOR_MS = 200;

async function createAccount(deps: RegisterDeps, input: TRegisterInput): Promise<TAccepted> {
  const { db, config, mailer } = deps;
  // Hashed on both paths so a known email answers as slowly as a new one.
  const passwordHash = await hashPassword(input.password);
  const existing = await db.models.User.query().findOne({ email: input.email });
  if (existing) {
    mailer.send(existingAccountMail(config, existing.email));
    return { ok: true };
  }
  const now = deps.now();
  const verification = newToken();
  try {
    await db.models.User.transaction(async (trx) => {
      const user = await db.models.User.query(trx).insert({
        email: input.email,
        password_hash: passwordHash,
        is_verified: false,
        is_active: true,
        subscription_tier: 'free',
        role: 'user',
        monthly_credits_allocated: TIERS.free.credits,
        credits_used_this_period: 0,
        // The first daily pool resets at midnight in the zone the browser gave (UTC without one).
        credits_reset_at: nextDailyReset(now, input.timezone ?? null),
        verification_token: verification.hash,
        verification_token_expires: new Date(now.getTime() + VERIFICATION_TOKEN_TTL_MS),
      });
      await db.models.UserPreference.query(trx).insert({
        user_id: user.id,
        timezone: input.timezone ?? null,
        ...(input.theme ? { theme: input.theme } : {}),
      });
      // The first pool (the visitor pool's size until the email is verified), as the ledger's first row.
      await recordPoolResize(trx, user.id, {
        from: 0,
        to: poolSizeOf(user),
        description: 'New credit pool',
        at: now,
      });
    });
  } catch (error) {
    // Two sign-ups for one email at the same instant: the loser is told what everyone is told.
    if (!(error instanceof UniqueViolationError)) throw error;
    mailer.send(existingAccountMail(config, input.email));
    return { ok: true };
  }
  mailer.send(verificationMail(config, input.email, verification.token));
  return { ok: true };
}
