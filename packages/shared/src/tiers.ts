/**
 * The tier table, roles and staff permissions of PRODUCT.md as data. The web shows prices and limits
 * from here and the API enforces them from here: never copy these numbers elsewhere.
 */

/** Every limits tier, including the one used for visitors without an account. */
export const TIER_IDS = ['anonymous', 'free', 'starter', 'starter_plus', 'pro', 'pro_plus'] as const;
export type TierId = (typeof TIER_IDS)[number];

/** Tiers a registered user can hold (`users.subscription_tier`). */
export const SUBSCRIPTION_TIERS = ['free', 'starter', 'starter_plus', 'pro', 'pro_plus'] as const;
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];

/** Tiers that are bought; they reset monthly and may go into overage. */
export const PAID_TIERS = ['starter', 'starter_plus', 'pro', 'pro_plus'] as const;
export type PaidTier = (typeof PAID_TIERS)[number];

export type CreditPeriod = 'day' | 'month';

export interface TierLimits {
  readonly id: TierId;
  readonly label: string;
  /** Credits in one pool. */
  readonly credits: number;
  /** `day`: resets at midnight in the user's time zone; `month`: at `billing_period_end`. */
  readonly period: CreditPeriod;
  readonly modelsPerComparison: number;
  /** Beyond this the oldest conversation is deleted (anonymous: kept in the browser). */
  readonly savedConversations: number;
  readonly priceMonthlyUsd: number;
  /** Yearly billing costs 10 × the monthly price. */
  readonly priceYearlyUsd: number;
  readonly paid: boolean;
}

function tier(
  id: TierId,
  label: string,
  credits: number,
  period: CreditPeriod,
  modelsPerComparison: number,
  savedConversations: number,
  priceMonthlyUsd: number,
): TierLimits {
  return Object.freeze({
    id,
    label,
    credits,
    period,
    modelsPerComparison,
    savedConversations,
    priceMonthlyUsd,
    priceYearlyUsd: priceMonthlyUsd * 10,
    paid: priceMonthlyUsd > 0,
  });
}

export const TIERS: Readonly<Record<TierId, TierLimits>> = Object.freeze({
  anonymous: tier('anonymous', 'Anonymous', 50, 'day', 3, 2, 0),
  free: tier('free', 'Free', 100, 'day', 3, 3, 0),
  starter: tier('starter', 'Starter', 720, 'month', 6, 10, 9),
  starter_plus: tier('starter_plus', 'Starter+', 1600, 'month', 6, 20, 19),
  pro: tier('pro', 'Pro', 3300, 'month', 9, 40, 39),
  pro_plus: tier('pro_plus', 'Pro+', 6700, 'month', 12, 80, 79),
});

/** The most models any tier may compare at once; input schemas cap at this before tier checks. */
export const MAX_MODELS_PER_COMPARISON = Math.max(...TIER_IDS.map((id) => TIERS[id].modelsPerComparison));

/** Paid tiers may go past their pool at this price per credit. */
export const OVERAGE_USD_PER_CREDIT = 0.013;

export function isTierId(value: unknown): value is TierId {
  return typeof value === 'string' && TIER_IDS.some((item) => item === value);
}

export function isSubscriptionTier(value: unknown): value is SubscriptionTier {
  return typeof value === 'string' && SUBSCRIPTION_TIERS.some((item) => item === value);
}

export function isPaidTier(value: unknown): value is PaidTier {
  return typeof value === 'string' && PAID_TIERS.some((item) => item === value);
}

/**
 * Which tier's limits apply. Unverified users can sign in but get the anonymous limits until they
 * verify their email (PRODUCT.md, Accounts); visitors without an account always do.
 */
export function effectiveLimitsTier(input: {
  tier: TierId | null | undefined;
  isVerified: boolean;
  isAnonymous: boolean;
}): TierId {
  if (input.isAnonymous || !input.isVerified || input.tier == null) return 'anonymous';
  return input.tier;
}

// ---------------------------------------------------------------------------------------------------
// Model access

/** `anonymous` models are open to everyone, `free` to registered users, `paid` to paid tiers. */
export const MODEL_ACCESS_LEVELS = ['anonymous', 'free', 'paid'] as const;
export type ModelAccess = (typeof MODEL_ACCESS_LEVELS)[number];

/** The model access levels a limits tier may use. */
export function modelAccessFor(tierId: TierId): readonly ModelAccess[] {
  if (tierId === 'anonymous') return ['anonymous'];
  if (tierId === 'free') return ['anonymous', 'free'];
  return MODEL_ACCESS_LEVELS;
}

export function canUseModelAccess(tierId: TierId, access: ModelAccess): boolean {
  return modelAccessFor(tierId).includes(access);
}

/** The cheapest tier that unlocks a model of this access level (for "unlock with …" labels). */
export function minimumTierForAccess(access: ModelAccess): TierId {
  if (access === 'anonymous') return 'anonymous';
  if (access === 'free') return 'free';
  return 'starter';
}

// ---------------------------------------------------------------------------------------------------
// Roles and staff permissions

export const ROLES = ['user', 'moderator', 'admin', 'super_admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLES.some((item) => item === value);
}

/** `users.is_admin` is true exactly for these roles. */
export function isAdminRole(role: string): boolean {
  return role === 'admin' || role === 'super_admin';
}

/** Any role that may open the staff area at all. */
export function isStaffRole(role: string): boolean {
  return role === 'moderator' || isAdminRole(role);
}

export const STAFF_PERMISSIONS = [
  'users.read',
  'users.write',
  'users.delete',
  'roles.grant',
  'audit.read',
  'analytics.read',
  'settings.read',
  'settings.write',
  'models.write',
  /** Take down what users published (shared links). */
  'content.moderate',
] as const;
export type StaffPermission = (typeof STAFF_PERMISSIONS)[number];

export const DEFAULT_MODERATOR_PERMISSIONS: readonly StaffPermission[] = [
  'users.read',
  'audit.read',
  'analytics.read',
  'content.moderate',
];

/**
 * What each role may do before `admin_permissions` narrows it. Granting or removing `admin` and
 * `super_admin` (and changing anything about an admin) needs the super_admin role itself, on top of
 * `roles.grant`: see the admin services.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly StaffPermission[]>> = Object.freeze({
  user: [],
  moderator: DEFAULT_MODERATOR_PERMISSIONS,
  admin: STAFF_PERMISSIONS,
  super_admin: STAFF_PERMISSIONS,
});

export function isStaffPermission(value: unknown): value is StaffPermission {
  return typeof value === 'string' && STAFF_PERMISSIONS.some((item) => item === value);
}

/**
 * The subject of a permission check. `role` is a plain string so raw database rows can be passed;
 * an unknown role has no permissions. Both the column's snake_case name and its camelCase mapping are
 * accepted.
 */
export interface PermissionSubject {
  role: string;
  admin_permissions?: readonly string[] | null;
  adminPermissions?: readonly string[] | null;
}

/**
 * Staff permissions (PRODUCT.md, Who uses it): each role has its default set (ROLE_PERMISSIONS);
 * `admin_permissions` can only narrow a moderator's or an admin's set, never widen it (listed names
 * outside the role's set are ignored), and never narrows a super_admin. A missing, null or empty list
 * means "not narrowed", so a column default of `[]` never locks anyone out; to take all rights away,
 * change the role.
 */
export function staffPermissionsOf(subject: PermissionSubject): readonly StaffPermission[] {
  if (!isRole(subject.role)) return [];
  const defaults = ROLE_PERMISSIONS[subject.role];
  if (subject.role === 'super_admin' || subject.role === 'user') return defaults;
  const listed = subject.admin_permissions ?? subject.adminPermissions ?? [];
  if (listed.length === 0) return defaults;
  return defaults.filter((permission) => listed.includes(permission));
}

export function hasPermission(subject: PermissionSubject, permission: StaffPermission): boolean {
  return staffPermissionsOf(subject).includes(permission);
}
