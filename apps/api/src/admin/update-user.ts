import { recordPoolResize, type Transaction, type User } from '@compareintel/db';
import {
  AppError,
  isSubscriptionTier,
  ROLE_PERMISSIONS,
  type Role,
  type TAdminUserDetail,
  type TAdminUserUpdateInput,
  TIERS,
} from '@compareintel/shared';
import type { PartialModelObject } from 'objection';
import { endUserSessions } from '../auth/sessions';
import { poolSizeOf } from '../credits/credit-pool';
import { getUser } from './get-user';
import {
  lastSuperAdminRefusal,
  missingPermission,
  rankRefusal,
  recordStaffAction,
  refuseStaffAction,
  roleOf,
  type StaffDeps,
} from './staff-actions';

const ACTION = 'user.update';

type Change = Record<string, unknown>;

/** Why this actor may not make this change to this target, or null. Checked inside the transaction. */
async function updateRefusal(
  deps: StaffDeps,
  trx: Transaction,
  target: User,
  input: TAdminUserUpdateInput,
): Promise<string | null> {
  const { user: actor } = deps;
  const changesRole = input.role !== undefined && input.role !== roleOf(target);
  const changesRights = changesRole || input.permissions !== undefined;
  return (
    missingPermission(actor, 'users.write') ??
    (changesRights ? missingPermission(actor, 'roles.grant') : null) ??
    (await lastSuperAdminRefusal(deps.db, trx, target, {
      losesRole: changesRole,
      deactivates: input.isActive === false,
    })) ??
    (actor.id === target.id && changesRights ? 'You cannot change your own role or permissions.' : null) ??
    (actor.id === target.id && input.isActive === false ? 'You cannot deactivate your own account.' : null) ??
    rankRefusal(actor, target, changesRole ? input.role : undefined)
  );
}

/** Listed permissions must lie inside the (new) role's set: a list narrows, it never widens. */
function checkPermissions(role: Role, permissions: readonly string[] | null | undefined): void {
  if (!permissions || permissions.length === 0) return;
  if (role !== 'moderator' && role !== 'admin') {
    throw new AppError('BAD_REQUEST', 'Only moderator and admin permissions can be narrowed.', {
      fieldErrors: { permissions: ['Only moderator and admin permissions can be narrowed'] },
    });
  }
  const outside = permissions.filter((permission) => !ROLE_PERMISSIONS[role].some((p) => p === permission));
  if (outside.length > 0) {
    const message = `A ${role} cannot hold ${outside.join(', ')}`;
    throw new AppError('BAD_REQUEST', `${message}.`, { fieldErrors: { permissions: [message] } });
  }
}

/**
 * A staff change to a user: tier, role (with `is_admin` kept in step by the User model), active flag,
 * mock mode, narrowed permissions. One audit row with before → after, in the change's transaction;
 * a refused attempt gets its own row and FORBIDDEN. Deactivation ends the user's sessions at once. A
 * tier change sets the pool to the tier's size; when the period kind changes (daily ↔ monthly) the
 * pool restarts at the next admission, so it resets on the new tier's schedule.
 */
export async function updateUser(deps: StaffDeps, input: TAdminUserUpdateInput): Promise<TAdminUserDetail> {
  const { db } = deps;
  const outcome = await db.knex.transaction(async (trx) => {
    const target = await db.models.User.query(trx).findById(input.id);
    if (!target) throw new AppError('NOT_FOUND', 'There is no user with this id.');
    const refusal = await updateRefusal(deps, trx, target, input);
    if (refusal) return { refusal };

    const newRole = input.role ?? roleOf(target);
    const roleChanged = newRole !== roleOf(target);
    checkPermissions(newRole, input.permissions);

    const before: Change = {};
    const after: Change = {};
    const patch: PartialModelObject<User> = {};
    if (input.tier !== undefined && input.tier !== target.subscription_tier) {
      before.tier = target.subscription_tier;
      after.tier = input.tier;
      patch.subscription_tier = input.tier;
      patch.monthly_credits_allocated = TIERS[input.tier].credits;
      const previousPeriod = isSubscriptionTier(target.subscription_tier)
        ? TIERS[target.subscription_tier].period
        : 'day';
      if (previousPeriod !== TIERS[input.tier].period) patch.credits_reset_at = deps.now();
    }
    if (roleChanged) {
      before.role = roleOf(target);
      after.role = newRole;
      patch.role = newRole;
      // A narrowed list belongs to the old role; the new one starts from its own defaults.
      if (input.permissions === undefined && target.admin_permissions?.length) {
        before.permissions = target.admin_permissions;
        after.permissions = null;
        patch.admin_permissions = null;
      }
    }
    if (input.permissions !== undefined) {
      const next = input.permissions && input.permissions.length > 0 ? input.permissions : null;
      const previous = target.admin_permissions?.length ? target.admin_permissions : null;
      if (JSON.stringify(next) !== JSON.stringify(previous)) {
        before.permissions = previous;
        after.permissions = next;
        patch.admin_permissions = next;
      }
    }
    if (input.isActive !== undefined && input.isActive !== target.is_active) {
      before.isActive = target.is_active;
      after.isActive = input.isActive;
      patch.is_active = input.isActive;
    }
    if (input.mockMode !== undefined && input.mockMode !== target.mock_mode_enabled) {
      before.mockMode = target.mock_mode_enabled;
      after.mockMode = input.mockMode;
      patch.mock_mode_enabled = input.mockMode;
    }

    const changed = Object.keys(after);
    if (changed.length > 0) {
      await db.models.User.query(trx).findById(target.id).patch(patch);
      if (patch.is_active === false) await endUserSessions({ db, trx }, target.id);
      if (patch.monthly_credits_allocated !== undefined) {
        // The pool changes size now: the ledger gets the difference, so its rows still sum to the pool left.
        await recordPoolResize(trx, target.id, {
          from: poolSizeOf(target),
          to: poolSizeOf({ ...target, ...pickPool(patch, target) }),
          description: `Plan changed by staff to ${String(patch.subscription_tier)}`,
          at: deps.now(),
        });
      }
      const sentence = changed.map((key) => `${key} ${String(before[key])} → ${String(after[key])}`);
      await recordStaffAction(deps, trx, {
        targetId: target.id,
        actionType: ACTION,
        description: `${deps.user.email} changed ${target.email}: ${sentence.join('; ')}.`,
        details: { before, after },
      });
    }
    return { refusal: null };
  });
  if (outcome.refusal) {
    const { id, ...requested } = input;
    await refuseStaffAction(deps, { targetId: id, actionType: ACTION, reason: outcome.refusal, requested });
  }
  return getUser(deps, { id: input.id });
}

/** The pool-deciding fields after a patch. */
function pickPool(patch: PartialModelObject<User>, target: User) {
  return {
    subscription_tier:
      typeof patch.subscription_tier === 'string' ? patch.subscription_tier : target.subscription_tier,
    monthly_credits_allocated:
      typeof patch.monthly_credits_allocated === 'number'
        ? patch.monthly_credits_allocated
        : target.monthly_credits_allocated,
  };
}
