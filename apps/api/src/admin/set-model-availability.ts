import {
  AppError,
  type TAdminModelAvailability,
  type TAdminModelAvailabilityInput,
} from '@compareintel/shared';
import type { ModelRegistry } from '../models/registry';
import { missingPermission, recordStaffAction, refuseStaffAction, type StaffDeps } from './staff-actions';

const ACTION = 'model.availability';

/** Every registry model with its staff override (available unless marked otherwise). */
export async function listModelAvailability(
  deps: StaffDeps & { models: ModelRegistry },
): Promise<TAdminModelAvailability[]> {
  const refusal = missingPermission(deps.user, 'models.write');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const rows = await deps.db.models.ModelAvailability.query();
  const byId = new Map(rows.map((row) => [row.model_id, row]));
  return deps.models.all().map((model) => {
    const row = byId.get(model.id);
    return {
      modelId: model.id,
      available: row?.is_available ?? true,
      reason: row?.is_available === false ? row.reason : null,
      updatedAt: row ? row.updated_at.toISOString() : null,
    };
  });
}

/** Marks a registry model available or not (with a reason shown to users), audited in one transaction. */
export async function setModelAvailability(
  deps: StaffDeps & { models: ModelRegistry },
  input: TAdminModelAvailabilityInput,
): Promise<TAdminModelAvailability> {
  const refusal = missingPermission(deps.user, 'models.write');
  if (refusal)
    await refuseStaffAction(deps, { targetId: null, actionType: ACTION, reason: refusal, requested: input });
  const model = deps.models.get(input.modelId);
  if (!model) {
    throw new AppError('BAD_REQUEST', `Unknown model: ${input.modelId}`, {
      fieldErrors: { modelId: ['Not a model of the registry'] },
    });
  }
  const { db } = deps;
  const reason = input.available ? null : input.reason || null;
  return db.knex.transaction(async (trx) => {
    const existing = await db.models.ModelAvailability.query(trx).findOne({ model_id: model.id });
    const before = { available: existing?.is_available ?? true, reason: existing?.reason ?? null };
    const now = deps.now();
    const row = existing
      ? await existing
          .$query(trx)
          .patchAndFetch({ is_available: input.available, reason, updated_by_user_id: deps.user.id })
      : await db.models.ModelAvailability.query(trx).insertAndFetch({
          model_id: model.id,
          is_available: input.available,
          reason,
          updated_by_user_id: deps.user.id,
          created_at: now,
          updated_at: now,
        });
    await recordStaffAction(deps, trx, {
      targetId: null,
      actionType: ACTION,
      description: `${deps.user.email} marked ${model.name} ${input.available ? 'available' : 'unavailable'}${reason ? `: ${reason}` : ''}.`,
      details: { modelId: model.id, before, after: { available: input.available, reason } },
    });
    return {
      modelId: model.id,
      available: row.is_available,
      reason: row.is_available ? null : row.reason,
      updatedAt: row.updated_at.toISOString(),
    };
  });
}
