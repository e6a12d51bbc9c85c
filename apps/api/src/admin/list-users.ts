import type { User } from '@compareintel/db';
import {
  AppError,
  isSubscriptionTier,
  type TAdminUserList,
  type TAdminUserListQuery,
  type TAdminUserRow,
} from '@compareintel/shared';
import { poolSizeOf } from '../credits/credit-pool';
import { isoOrNull, missingPermission, roleOf, type StaffDeps } from './staff-actions';

/** `%`, `_` and `\` typed into the search box are matched literally. */
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const ORDER: Record<TAdminUserListQuery['sort'], [column: string, direction: 'asc' | 'desc']> = {
  created_desc: ['created_at', 'desc'],
  created_asc: ['created_at', 'asc'],
  email_asc: ['email', 'asc'],
  email_desc: ['email', 'desc'],
  last_access_desc: ['last_access', 'desc'],
  credits_used_desc: ['credits_used_this_period', 'desc'],
};

export function userRowOf(user: User): TAdminUserRow {
  return {
    id: user.id,
    email: user.email,
    tier: isSubscriptionTier(user.subscription_tier) ? user.subscription_tier : 'free',
    role: roleOf(user),
    isAdmin: user.is_admin,
    isActive: user.is_active,
    isVerified: user.is_verified,
    mockMode: user.mock_mode_enabled,
    creditsUsed: user.credits_used_this_period,
    creditsAllocated: poolSizeOf(user),
    lastAccess: isoOrNull(user.last_access),
    createdAt: user.created_at.toISOString(),
  };
}

/** One page of users matching the filters (email search is case-insensitive), newest first by default. */
export async function listUsers(deps: StaffDeps, input: TAdminUserListQuery): Promise<TAdminUserList> {
  const refusal = missingPermission(deps.user, 'users.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const query = deps.db.models.User.query();
  if (input.search) query.whereRaw("lower(email) like ? escape '\\'", [likePattern(input.search)]);
  if (input.tier) query.where('subscription_tier', input.tier);
  if (input.role) query.where('role', input.role);
  if (input.active !== undefined) query.where('is_active', input.active);
  if (input.verified !== undefined) query.where('is_verified', input.verified);
  const [column, direction] = ORDER[input.sort];
  // Nulls (never signed in) last on both dialects, then a stable tie-break for pagination.
  if (column === 'last_access') query.orderByRaw('case when last_access is null then 1 else 0 end');
  query.orderBy(column, direction).orderBy('id', direction);
  const { results, total } = await query.page(input.page - 1, input.perPage);
  return {
    rows: results.map(userRowOf),
    total,
    page: input.page,
    perPage: input.perPage,
    totalPages: Math.ceil(total / input.perPage),
  };
}
