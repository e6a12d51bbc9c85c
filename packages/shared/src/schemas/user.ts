import { z } from 'zod';
import { ROLES, SUBSCRIPTION_TIERS, TIER_IDS } from '../tiers';
import { ZTheme, ZTimeZone } from './preferences';

/** Emails are unique case-insensitively, so they are stored trimmed and lowercased. */
export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(255, 'Email is too long')
  .pipe(z.email('Enter a valid email address'));
export type TEmail = z.infer<typeof ZEmail>;

/** PRODUCT.md: at least 8 characters, with a letter and a digit. */
/** The password rule in one sentence, for forms (ZPassword below enforces it). */
export const PASSWORD_RULE = 'At least 8 characters, with a letter and a digit.';

export const ZPassword = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(128, 'Password must be at most 128 characters')
  .regex(/\p{L}/u, 'Password must contain at least one letter')
  .regex(/\p{Nd}/u, 'Password must contain at least one digit');

/** A password typed to prove who you are: checked against the hash, never against the rules. */
const ZCurrentPassword = z
  .string()
  .min(1, 'Enter your password')
  .max(128, 'Password must be at most 128 characters');

/** Single-use tokens from verification and reset mails. */
export const ZEmailToken = z.string().min(16, 'Invalid or expired link').max(256, 'Invalid or expired link');

/**
 * Sign up. `theme` and `timezone` are what the browser had (the visitor's theme, the device's zone), so
 * the new account starts as the visitor left it: no flip to another theme, daily refills at local midnight.
 */
export const ZRegisterInput = z.object({
  email: ZEmail,
  password: ZPassword,
  theme: ZTheme.optional(),
  timezone: ZTimeZone.optional(),
});
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

export const ZLoginInput = z.object({ email: ZEmail, password: ZCurrentPassword });
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZVerifyEmailInput = z.object({ token: ZEmailToken });
export type TVerifyEmailInput = z.infer<typeof ZVerifyEmailInput>;

export const ZResendVerificationInput = z.object({ email: ZEmail });
export type TResendVerificationInput = z.infer<typeof ZResendVerificationInput>;

export const ZRequestPasswordResetInput = z.object({ email: ZEmail });
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>;

export const ZResetPasswordInput = z.object({ token: ZEmailToken, password: ZPassword });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZChangePasswordInput = z
  .object({ currentPassword: ZCurrentPassword, newPassword: ZPassword })
  .refine((input) => input.currentPassword !== input.newPassword, {
    message: 'The new password must differ from the current one',
    path: ['newPassword'],
  });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

/** Deleting the account asks for the password once more. */
export const ZDeleteAccountInput = z.object({ password: ZCurrentPassword });
export type TDeleteAccountInput = z.infer<typeof ZDeleteAccountInput>;

/** The constant answer of procedures that must not reveal whether an email is registered. */
export const ZAccepted = z.object({ ok: z.literal(true) });
export type TAccepted = z.infer<typeof ZAccepted>;

/** `auth.createToken`: a session token for typed internal clients (`Authorization: Bearer <token>`). */
export const ZCreateTokenInput = ZLoginInput;
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>;

/** A registered user's subscription tier (`users.subscription_tier`). */
export const ZTier = z.enum(SUBSCRIPTION_TIERS);
export type TTier = z.infer<typeof ZTier>;

/** Any limits tier, including `anonymous`. */
export const ZTierId = z.enum(TIER_IDS);
export type TTierId = z.infer<typeof ZTierId>;

export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const ZIsoDateTime = z.iso.datetime({ offset: true });

export const ZCreditBalance = z.object({
  allocated: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  /** allocated − used; negative while a paid tier is in overage. */
  remaining: z.number().int(),
  /** The next reset (daily midnight in the user's zone, or the billing period end). */
  resetsAt: ZIsoDateTime.nullable(),
  period: z.enum(['day', 'month']),
});
export type TCreditBalance = z.infer<typeof ZCreditBalance>;

/** The signed-in user as the web app sees it: selected fields, never a raw row. */
export const ZPublicUser = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  tier: ZTier,
  /** The tier whose limits apply now (`anonymous` until the email is verified). */
  limitsTier: ZTierId,
  role: ZRole,
  isAdmin: z.boolean(),
  isVerified: z.boolean(),
  isActive: z.boolean(),
  credits: ZCreditBalance,
  createdAt: ZIsoDateTime,
});
export type TPublicUser = z.infer<typeof ZPublicUser>;

export const ZSessionToken = z.object({ token: z.string(), expiresAt: ZIsoDateTime });
export type TSessionToken = z.infer<typeof ZSessionToken>;
