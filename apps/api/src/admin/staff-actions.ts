import type { Db, Transaction, User } from '@compareintel/db';
import {
  AppError,
  hasPermission,
  isAdminRole,
  isRole,
  type Role,
  type StaffPermission,
} from '@compareintel/shared';
import type { RequestInfo } from '../context';

/** Who is acting in the staff console, and from where (for the audit row). */
export interface StaffDeps {
  db: Db;
  user: User;
  request: RequestInfo;
  now(): Date;
}

export interface StaffAction {
  targetId: number | null;
  actionType: string;
  /** One sentence a person reads in the audit log. */
  description: string;
  /** JSON: `{ before, after }` for changes, `{ outcome: 'refused', reason, requested }` for refusals. */
  details: Record<string, unknown>;
}

/**
 * One `admin_action_logs` row. Callers pass the transaction of the change it describes, so the row and
 * the change commit (or roll back) together. Never put passwords, tokens or API keys in `details`.
 */
export async function recordStaffAction(
  deps: Pick<StaffDeps, 'db' | 'user' | 'request' | 'now'>,
  trx: Transaction | undefined,
  action: StaffAction,
): Promise<void> {
  await deps.db.models.AdminActionLog.query(trx).insert({
    admin_user_id: deps.user.id,
    target_user_id: action.targetId,
    action_type: action.actionType,
    action_description: action.description.slice(0, 2000),
    details: action.details,
    ip_address: deps.request.ip.slice(0, 45),
    user_agent: deps.request.userAgent?.slice(0, 1000) ?? null,
    created_at: deps.now(),
  });
}

/**
 * A refused staff write: its audit row is written on its own (there is no change to commit with it, and
 * it must outlive the refusal), then FORBIDDEN with the reason.
 */
export async function refuseStaffAction(
  deps: Pick<StaffDeps, 'db' | 'user' | 'request' | 'now'>,
  refusal: { targetId: number | null; actionType: string; reason: string; requested: unknown },
): Promise<never> {
  // The target column is a foreign key: a refused attempt on an id that does not exist names no one.
  const target =
    refusal.targetId === null ? null : await deps.db.models.User.query().findById(refusal.targetId);
  await recordStaffAction(deps, undefined, {
    targetId: target?.id ?? null,
    actionType: refusal.actionType,
    description: `Refused ${refusal.actionType} by ${deps.user.email}${target ? ` on ${target.email}` : ''}: ${refusal.reason}`,
    details: { outcome: 'refused', reason: refusal.reason, requested: refusal.requested },
  });
  throw new AppError('FORBIDDEN', refusal.reason);
}

export function roleOf(user: Pick<User, 'role'>): Role {
  return isRole(user.role) ? user.role : 'user';
}

/** The reason `actor` lacks `permission`, or null. Services check it again behind the router's gate. */
export function missingPermission(actor: User, permission: StaffPermission): string | null {
  return hasPermission(actor, permission) ? null : 'Your account does not have permission to do this.';
}

/**
 * Staff accounts of admin rank are managed by super admins only: an admin (or anyone below) may not
 * change, reset, deactivate or delete an admin or super admin, nor make someone one.
 */
export function rankRefusal(actor: User, target: User, newRole?: Role): string | null {
  if (roleOf(actor) === 'super_admin' || actor.id === target.id) return null;
  if (isAdminRole(roleOf(target))) return 'Only a super admin can change an admin or super admin account.';
  if (newRole && isAdminRole(newRole)) return 'Only a super admin can grant the admin or super admin role.';
  return null;
}

/** Active super admins other than `target` (row-locked on PostgreSQL so two demotions cannot race). */
export async function otherActiveSuperAdmins(db: Db, trx: Transaction, target: User): Promise<number> {
  const query = trx('users').where({ role: 'super_admin', is_active: true }).whereNot('id', target.id);
  if (db.dialect === 'pg') query.forUpdate();
  return (await query.select('id')).length;
}

/** The last active super admin cannot be demoted, deactivated or deleted (by anyone, themselves included). */
export async function lastSuperAdminRefusal(
  db: Db,
  trx: Transaction,
  target: User,
  change: { losesRole?: boolean; deactivates?: boolean; deletes?: boolean },
): Promise<string | null> {
  if (roleOf(target) !== 'super_admin' || !target.is_active) return null;
  if (!change.losesRole && !change.deactivates && !change.deletes) return null;
  if ((await otherActiveSuperAdmins(db, trx, target)) > 0) return null;
  return 'This is the last active super admin: make someone else super admin first.';
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` or null, for rows' optional dates. */
export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
