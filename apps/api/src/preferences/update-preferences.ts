import type { UserPreference } from '@compareintel/db';
import { AppError, type TPreferences, type TPreferencesUpdateInput } from '@compareintel/shared';
import type { AppContext } from '../context';
import { preferenceRowOf, toPreferences } from './get-preferences';

/**
 * Changes the given fields only. Model ids must exist in the registry (access by tier is checked when
 * comparing, so a user may pre-select a model they will unlock later). A new time zone applies from the
 * next daily reset on: the current pool keeps its reset time, so switching zones never buys an extra pool.
 */
export async function updatePreferences(
  { db, models }: Pick<AppContext, 'db' | 'models'>,
  userId: number,
  input: TPreferencesUpdateInput,
): Promise<TPreferences> {
  const unknown = (input.preferredModels ?? []).filter((id) => models.get(id) === undefined);
  if (unknown.length > 0) {
    const message = `Unknown model${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`;
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { preferredModels: [message] } });
  }
  const row = await preferenceRowOf({ db }, userId);
  const patch: Partial<
    Pick<UserPreference, 'preferred_models' | 'theme' | 'email_notifications' | 'usage_alerts' | 'timezone'>
  > = {};
  if (input.preferredModels !== undefined) patch.preferred_models = input.preferredModels;
  if (input.theme !== undefined) patch.theme = input.theme;
  if (input.emailNotifications !== undefined) patch.email_notifications = input.emailNotifications;
  if (input.usageAlerts !== undefined) patch.usage_alerts = input.usageAlerts;
  if (input.timezone !== undefined) patch.timezone = input.timezone;
  if (Object.keys(patch).length === 0) return toPreferences(row);
  return toPreferences(await row.$query().patchAndFetch(patch));
}
