import type { Db } from './client';
import type { AppSetting } from './models';

const SETTINGS_ID = 1;

/**
 * The single app_settings row, created with its defaults when missing. Idempotent and safe when several
 * processes start at once: the insert is `ON CONFLICT (id) DO NOTHING` on both dialects.
 */
export async function ensureAppSettings(db: Db): Promise<AppSetting> {
  await db.knex('app_settings').insert({ id: SETTINGS_ID }).onConflict('id').ignore();
  return db.models.AppSetting.query().findById(SETTINGS_ID).throwIfNotFound();
}
