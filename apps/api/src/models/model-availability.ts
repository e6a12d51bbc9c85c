import type { Db } from '@compareintel/db';
import { AppError } from '@compareintel/shared';

/**
 * Staff overrides of model availability (table `model_availability`). Read from the database at each
 * admission and models.list, so a change takes effect at once in every API process (one indexed query
 * over a handful of rows; no cache to invalidate).
 */
export async function unavailableModels(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.sql.all<{ model_id: string; reason: string | null }>(
    'select model_id, reason from model_availability where is_available = ?',
    [false],
  );
  return new Map(rows.map((row) => [row.model_id, row.reason]));
}

export function unavailableSentence(name: string, reason: string | null): string {
  return `${name} is unavailable right now${reason ? `: ${reason}` : ''}.`;
}

/** Admission: FORBIDDEN, with the staff's reason, when any chosen model is marked unavailable. */
export async function assertModelsAvailable(
  db: Db,
  models: ReadonlyArray<{ id: string; name: string }>,
): Promise<void> {
  const unavailable = await unavailableModels(db);
  for (const model of models) {
    if (unavailable.has(model.id)) {
      throw new AppError('FORBIDDEN', unavailableSentence(model.name, unavailable.get(model.id) ?? null));
    }
  }
}
