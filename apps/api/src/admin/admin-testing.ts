import type { User } from '@compareintel/db';
import type { Role, StaffPermission } from '@compareintel/shared';
import type { TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';

/** The five kinds of caller every admin procedure is tried with. */
export const ACTORS = ['user', 'moderator', 'narrowedModerator', 'admin', 'superAdmin'] as const;
export type ActorKind = (typeof ACTORS)[number];

const ROLE_OF: Record<ActorKind, Role> = {
  user: 'user',
  moderator: 'moderator',
  narrowedModerator: 'moderator',
  admin: 'admin',
  superAdmin: 'super_admin',
};

/** A narrowed moderator may only read users (not audit or analytics). */
export const NARROWED_MODERATOR_PERMISSIONS: StaffPermission[] = ['users.read'];

export async function createStaff(
  app: TestApp,
  kind: ActorKind,
  overrides: Partial<User> = {},
): Promise<User> {
  const { user } = await createTestUser(app.db, {
    role: ROLE_OF[kind],
    admin_permissions: kind === 'narrowedModerator' ? NARROWED_MODERATOR_PERMISSIONS : null,
    ...overrides,
  });
  return user;
}

/** The audit rows about a target (or with no target), oldest first. */
export function auditRowsFor(app: TestApp, filter: { targetId?: number | null; adminId?: number }) {
  const query = app.db.models.AdminActionLog.query().orderBy('id');
  if (filter.targetId === null) query.whereNull('target_user_id');
  else if (filter.targetId !== undefined) query.where('target_user_id', filter.targetId);
  if (filter.adminId !== undefined) query.where('admin_user_id', filter.adminId);
  return query;
}
