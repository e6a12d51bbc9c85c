import { AppError, type TAdminAuditList, type TAdminAuditListQuery } from '@compareintel/shared';
import { missingPermission, type StaffDeps } from './staff-actions';

const DAY_MS = 86_400_000;

/** Staff actions, newest first, filtered by admin, target, action type and UTC days (inclusive). */
export async function listAuditLog(deps: StaffDeps, input: TAdminAuditListQuery): Promise<TAdminAuditList> {
  const refusal = missingPermission(deps.user, 'audit.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const query = deps.db.models.AdminActionLog.query().withGraphFetched('[adminUser, targetUser]');
  if (input.adminId !== undefined) query.where('admin_user_id', input.adminId);
  if (input.targetId !== undefined) query.where('target_user_id', input.targetId);
  if (input.actionType !== undefined) query.where('action_type', input.actionType);
  if (input.from !== undefined) query.where('created_at', '>=', new Date(`${input.from}T00:00:00Z`));
  if (input.to !== undefined) {
    query.where('created_at', '<', new Date(Date.parse(`${input.to}T00:00:00Z`) + DAY_MS));
  }
  const { results, total } = await query.modify('newestFirst').page(input.page - 1, input.perPage);
  return {
    rows: results.map((row) => ({
      id: row.id,
      createdAt: row.created_at.toISOString(),
      adminId: row.admin_user_id,
      adminEmail: row.adminUser?.email ?? null,
      targetId: row.target_user_id,
      targetEmail: row.targetUser?.email ?? null,
      actionType: row.action_type,
      description: row.action_description,
      details: row.details,
      ipAddress: row.ip_address,
      userAgent: row.user_agent,
    })),
    total,
    page: input.page,
    perPage: input.perPage,
    totalPages: Math.ceil(total / input.perPage),
  };
}
