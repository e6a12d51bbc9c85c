import type { Db, UserPreference } from '@compareintel/db';
import { type TPreferences, ZTheme } from '@compareintel/shared';
import { UniqueViolationError } from 'objection';

/** The row as the web app sees it (selected camelCase fields). */
export function toPreferences(row: UserPreference): TPreferences {
  const theme = ZTheme.safeParse(row.theme);
  return {
    preferredModels: row.preferred_models ?? [],
    theme: theme.success ? theme.data : 'light',
    emailNotifications: row.email_notifications,
    usageAlerts: row.usage_alerts,
    timezone: row.timezone,
  };
}

/** The user's preferences row; created with the defaults if missing (accounts made outside sign-up). */
export async function preferenceRowOf({ db }: { db: Db }, userId: number): Promise<UserPreference> {
  const existing = await db.models.UserPreference.query().findOne({ user_id: userId });
  if (existing) return existing;
  try {
    await db.models.UserPreference.query().insert({ user_id: userId });
  } catch (error) {
    // Created by a concurrent request: read that one.
    if (!(error instanceof UniqueViolationError)) throw error;
  }
  return db.models.UserPreference.query().findOne({ user_id: userId }).throwIfNotFound();
}

export async function getPreferences(deps: { db: Db }, userId: number): Promise<TPreferences> {
  return toPreferences(await preferenceRowOf(deps, userId));
}
