import { z } from 'zod';
import { isValidTimeZone } from '../periods';
import { ZModelId } from './model';

export const ZTheme = z.enum(['light', 'dark', 'system']);
export type TTheme = z.infer<typeof ZTheme>;

/** An IANA time zone this runtime knows; `user_preferences.timezone` is String(50). */
export const ZTimeZone = z
  .string()
  .trim()
  .min(1, 'Unknown time zone')
  .max(50, 'Unknown time zone')
  .refine((zone) => isValidTimeZone(zone), 'Unknown time zone');
export type TTimeZone = z.infer<typeof ZTimeZone>;

export const MAX_PREFERRED_MODELS = 12;

export const ZPreferences = z.object({
  /** Pre-selected in the model picker. */
  preferredModels: z.array(z.string()),
  theme: ZTheme,
  emailNotifications: z.boolean(),
  /** In-app warning at 80 % and 100 % of the credit pool. */
  usageAlerts: z.boolean(),
  /** Null means UTC. */
  timezone: z.string().nullable(),
});
export type TPreferences = z.infer<typeof ZPreferences>;

/** A partial update; `timezone: null` clears the zone (daily resets then follow UTC). */
export const ZPreferencesUpdateInput = z.object({
  preferredModels: z
    .array(ZModelId)
    .max(MAX_PREFERRED_MODELS, `Pick at most ${MAX_PREFERRED_MODELS} preferred models`)
    .refine((models) => new Set(models).size === models.length, {
      message: 'Each model can be picked only once',
    })
    .optional(),
  theme: ZTheme.optional(),
  emailNotifications: z.boolean().optional(),
  usageAlerts: z.boolean().optional(),
  timezone: ZTimeZone.nullable().optional(),
});
export type TPreferencesUpdateInput = z.infer<typeof ZPreferencesUpdateInput>;
