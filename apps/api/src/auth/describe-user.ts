import type { Db, User } from '@compareintel/db';
import { isRole, isSubscriptionTier, type TPublicUser } from '@compareintel/shared';
import {
  creditBalanceOf,
  drawsOnVisitorPool,
  limitsTierOf,
  nextResetFor,
  sharedPoolBalance,
} from '../credits/credit-pool';

/**
 * The user as `auth.me` shows it: selected fields and the credit pool. A pool whose reset time has
 * passed is shown as the fresh pool it already is (resets are written lazily, at the next comparison).
 * An unverified account's pool is shared with its IP address's visitor pool (when the request is known).
 */
export async function describeUser(
  { db, now, request }: { db: Db; now(): Date; request?: { ip: string } },
  user: User,
): Promise<TPublicUser> {
  const at = now();
  let credits = creditBalanceOf(user);
  if (user.credits_reset_at === null || user.credits_reset_at.getTime() <= at.getTime()) {
    const preference = await db.models.UserPreference.query().findOne({ user_id: user.id });
    const resetsAt = nextResetFor(user, preference?.timezone ?? null, at);
    credits = { ...credits, used: 0, remaining: credits.allocated, resetsAt: resetsAt.toISOString() };
  }
  if (request && drawsOnVisitorPool(user)) {
    credits = await sharedPoolBalance({ db, now: at }, credits, { ip: request.ip, fingerprint: null });
  }
  return {
    id: user.id,
    email: user.email,
    tier: isSubscriptionTier(user.subscription_tier) ? user.subscription_tier : 'free',
    limitsTier: limitsTierOf(user),
    role: isRole(user.role) ? user.role : 'user',
    isAdmin: user.is_admin,
    isVerified: user.is_verified,
    isActive: user.is_active,
    credits,
    createdAt: user.created_at.toISOString(),
  };
}
