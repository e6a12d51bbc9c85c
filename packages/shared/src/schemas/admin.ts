import { z } from 'zod';
import { ROLES, STAFF_PERMISSIONS, SUBSCRIPTION_TIERS } from '../tiers';
import { withoutNul, ZId } from './common';
import { ZModelId } from './model';
import { ZIsoDateTime } from './user';

/** Staff console inputs and outputs (`admin.*` procedures). */

export const ADMIN_MAX_PER_PAGE = 100;

export const ZStaffPermission = z.enum(STAFF_PERMISSIONS, 'Unknown permission');
export type TStaffPermission = z.infer<typeof ZStaffPermission>;

const ZUserId = ZId;
const ZPage = z.number().int('Page must be a whole number').min(1, 'Page starts at 1').max(100_000);
const ZPerPage = z
  .number()
  .int('Per page must be a whole number')
  .min(1, 'At least 1 per page')
  .max(ADMIN_MAX_PER_PAGE, `At most ${ADMIN_MAX_PER_PAGE} per page`);

export const ZPageInfo = z.object({
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  perPage: z.number().int().positive(),
  totalPages: z.number().int().nonnegative(),
});
export type TPageInfo = z.infer<typeof ZPageInfo>;

// ---------------------------------------------------------------------------------------------------
// Users

export const ADMIN_USER_SORTS = [
  'created_desc',
  'created_asc',
  'email_asc',
  'email_desc',
  'last_access_desc',
  'credits_used_desc',
] as const;

export const ZAdminUserListInput = z.object({
  search: withoutNul(z.string().trim().max(255, 'Search is at most 255 characters')).optional(),
  tier: z.enum(SUBSCRIPTION_TIERS, 'Unknown tier').optional(),
  role: z.enum(ROLES, 'Unknown role').optional(),
  active: z.boolean().optional(),
  verified: z.boolean().optional(),
  sort: z.enum(ADMIN_USER_SORTS, 'Unknown sort').default('created_desc'),
  page: ZPage.default(1),
  perPage: ZPerPage.default(25),
});
export type TAdminUserListInput = z.input<typeof ZAdminUserListInput>;
export type TAdminUserListQuery = z.output<typeof ZAdminUserListInput>;

export const ZAdminUserRow = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  tier: z.enum(SUBSCRIPTION_TIERS),
  role: z.enum(ROLES),
  isAdmin: z.boolean(),
  isActive: z.boolean(),
  isVerified: z.boolean(),
  mockMode: z.boolean(),
  creditsUsed: z.number(),
  creditsAllocated: z.number(),
  lastAccess: ZIsoDateTime.nullable(),
  createdAt: ZIsoDateTime,
});
export type TAdminUserRow = z.infer<typeof ZAdminUserRow>;

export const ZAdminUserList = ZPageInfo.extend({ rows: z.array(ZAdminUserRow) });
export type TAdminUserList = z.infer<typeof ZAdminUserList>;

export const ZAdminUserId = z.object({ id: ZUserId });
export type TAdminUserId = z.infer<typeof ZAdminUserId>;

export const ZAdminUsageRow = z.object({
  id: z.number().int().positive(),
  createdAt: ZIsoDateTime,
  modelsUsed: z.array(z.string()),
  modelsRequested: z.number().int(),
  modelsSuccessful: z.number().int(),
  modelsFailed: z.number().int(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  credits: z.number().nullable(),
  actualCost: z.number().nullable(),
});
export type TAdminUsageRow = z.infer<typeof ZAdminUsageRow>;

export const ZAdminUserDetail = ZAdminUserRow.extend({
  /** The raw `admin_permissions` list (null: the role's defaults) and what the user may do with it. */
  listedPermissions: z.array(z.string()).nullable(),
  permissions: z.array(ZStaffPermission),
  subscription: z.object({
    status: z.string(),
    period: z.string(),
    startDate: ZIsoDateTime.nullable(),
    endDate: ZIsoDateTime.nullable(),
    billingPeriodStart: ZIsoDateTime.nullable(),
    billingPeriodEnd: ZIsoDateTime.nullable(),
    creditsResetAt: ZIsoDateTime.nullable(),
    hasStripeCustomer: z.boolean(),
  }),
  usage: z.object({
    creditsThisPeriod: z.number(),
    creditsAllocated: z.number(),
    creditsLifetime: z.number(),
    comparisons: z.number().int().nonnegative(),
    lastAccess: ZIsoDateTime.nullable(),
    recent: z.array(ZAdminUsageRow),
  }),
  /** Subscription history and payments, newest first (what the user's billing did). */
  billing: z.object({
    history: z.array(
      z.object({
        id: ZId,
        previousTier: z.string().nullable(),
        newTier: z.string(),
        period: z.string().nullable(),
        amountPaid: z.number().nullable(),
        stripeId: z.string().nullable(),
        reason: z.string().nullable(),
        createdAt: ZIsoDateTime,
      }),
    ),
    payments: z.array(
      z.object({
        id: ZId,
        stripeId: z.string().nullable(),
        amount: z.number(),
        currency: z.string(),
        status: z.string(),
        description: z.string().nullable(),
        createdAt: ZIsoDateTime,
      }),
    ),
  }),
});
export type TAdminUserDetail = z.infer<typeof ZAdminUserDetail>;

export const ZAdminUserUpdateInput = z
  .object({
    id: ZUserId,
    tier: z.enum(SUBSCRIPTION_TIERS, 'Unknown tier').optional(),
    role: z.enum(ROLES, 'Unknown role').optional(),
    isActive: z.boolean().optional(),
    mockMode: z.boolean().optional(),
    /** Narrows the role's permissions; null or [] = the role's defaults. */
    permissions: z
      .array(ZStaffPermission)
      .max(STAFF_PERMISSIONS.length)
      .refine((list) => new Set(list).size === list.length, 'Each permission once')
      .nullable()
      .optional(),
  })
  .refine(
    (input) =>
      input.tier !== undefined ||
      input.role !== undefined ||
      input.isActive !== undefined ||
      input.mockMode !== undefined ||
      input.permissions !== undefined,
    'Nothing to change',
  );
export type TAdminUserUpdateInput = z.infer<typeof ZAdminUserUpdateInput>;

// ---------------------------------------------------------------------------------------------------
// Audit

const ZDateOnly = z.iso.date('Use a date like 2025-12-01');

export const ZAdminAuditListInput = z.object({
  adminId: ZUserId.optional(),
  targetId: ZUserId.optional(),
  actionType: z.string().trim().min(1).max(100, 'Action type is at most 100 characters').optional(),
  /** Inclusive UTC days. */
  from: ZDateOnly.optional(),
  to: ZDateOnly.optional(),
  page: ZPage.default(1),
  perPage: ZPerPage.default(50),
});
export type TAdminAuditListInput = z.input<typeof ZAdminAuditListInput>;
export type TAdminAuditListQuery = z.output<typeof ZAdminAuditListInput>;

export const ZAdminAuditRow = z.object({
  id: z.number().int().positive(),
  createdAt: ZIsoDateTime,
  adminId: z.number().int().nullable(),
  adminEmail: z.string().nullable(),
  targetId: z.number().int().nullable(),
  targetEmail: z.string().nullable(),
  actionType: z.string(),
  description: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type TAdminAuditRow = z.infer<typeof ZAdminAuditRow>;

export const ZAdminAuditList = ZPageInfo.extend({ rows: z.array(ZAdminAuditRow) });
export type TAdminAuditList = z.infer<typeof ZAdminAuditList>;

// ---------------------------------------------------------------------------------------------------
// Settings

export const SEARCH_PROVIDERS = ['brave', 'tavily'] as const;
export const ZSearchProvider = z.enum(SEARCH_PROVIDERS, 'Unknown search provider');
export type TSearchProvider = z.infer<typeof ZSearchProvider>;

const ZApiKey = z.string().trim().min(8, 'API key looks too short').max(512, 'API key is too long');

export const ZBraveConfig = z.strictObject({
  apiKey: ZApiKey.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Two capital letters, e.g. US')
    .optional(),
  safeSearch: z.enum(['off', 'moderate', 'strict']).optional(),
  count: z.number().int().min(1).max(20).optional(),
});
export const ZTavilyConfig = z.strictObject({
  apiKey: ZApiKey.optional(),
  searchDepth: z.enum(['basic', 'advanced']).optional(),
  maxResults: z.number().int().min(1).max(20).optional(),
});

export const ZSearchProviderConfig = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('brave'), config: ZBraveConfig }),
  z.strictObject({ provider: z.literal('tavily'), config: ZTavilyConfig }),
]);
export type TSearchProviderConfig = z.infer<typeof ZSearchProviderConfig>;

export const ZAdminSettingsUpdateInput = z
  .strictObject({
    anonymousMockMode: z.boolean().optional(),
    webSearchEnabled: z.boolean().optional(),
    /** The active provider and its config; an omitted apiKey keeps the stored one. */
    search: ZSearchProviderConfig.optional(),
  })
  .refine(
    (input) =>
      input.anonymousMockMode !== undefined ||
      input.webSearchEnabled !== undefined ||
      input.search !== undefined,
    'Nothing to change',
  );
export type TAdminSettingsUpdateInput = z.infer<typeof ZAdminSettingsUpdateInput>;

export const ZAdminSettings = z.object({
  anonymousMockMode: z.boolean(),
  webSearchEnabled: z.boolean(),
  activeProvider: ZSearchProvider.nullable(),
  /** The provider's config with the API key masked (`••••1234`); never the key itself. */
  providerConfig: z.record(z.string(), z.unknown()),
  hasApiKey: z.boolean(),
  updatedAt: ZIsoDateTime,
});
export type TAdminSettings = z.infer<typeof ZAdminSettings>;

/** What "Test connection" answers: one real query through the active provider. */
export const ZSearchConnectionTest = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    provider: ZSearchProvider,
    results: z.number().int().nonnegative(),
    ms: z.number().nonnegative(),
  }),
  z.object({ ok: z.literal(false), provider: ZSearchProvider.nullable(), message: z.string() }),
]);
export type TSearchConnectionTest = z.infer<typeof ZSearchConnectionTest>;

// ---------------------------------------------------------------------------------------------------
// Models

export const ZAdminModelAvailabilityInput = z.object({
  modelId: ZModelId,
  available: z.boolean(),
  reason: z.string().trim().max(500, 'Reason is at most 500 characters').optional(),
});
export type TAdminModelAvailabilityInput = z.infer<typeof ZAdminModelAvailabilityInput>;

export const ZAdminModelAvailability = z.object({
  modelId: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  updatedAt: ZIsoDateTime.nullable(),
});
export type TAdminModelAvailability = z.infer<typeof ZAdminModelAvailability>;

// ---------------------------------------------------------------------------------------------------
// Analytics

export const ZAnalyticsRange = z
  .object({ from: ZDateOnly, to: ZDateOnly })
  .refine((range) => range.from <= range.to, { message: 'From must not be after to', path: ['to'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 3660 * 86_400_000, {
    message: 'At most ten years at once',
    path: ['from'],
  });

export const ZAnalyticsSummaryInput = z
  .object({ from: ZDateOnly, to: ZDateOnly, granularity: z.enum(['day', 'month']) })
  .refine((range) => range.from <= range.to, { message: 'From must not be after to', path: ['to'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 3660 * 86_400_000, {
    message: 'At most ten years at once',
    path: ['from'],
  });
export type TAnalyticsSummaryInput = z.infer<typeof ZAnalyticsSummaryInput>;
export type TAnalyticsRange = z.infer<typeof ZAnalyticsRange>;

export const ZAnalyticsTotals = z.object({
  comparisons: z.number().int().nonnegative(),
  modelsRequested: z.number().int().nonnegative(),
  modelsSuccessful: z.number().int().nonnegative(),
  modelsFailed: z.number().int().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  effectiveTokens: z.number().nonnegative(),
  credits: z.number(),
  actualCost: z.number(),
  estimatedCost: z.number(),
  /** Distinct signed-in users; null where only monthly aggregates exist (they keep no users). */
  activeUsers: z.number().int().nonnegative().nullable(),
  /** Anonymous comparisons ÷ comparisons, over the raw-log part; null when it has none. */
  anonymousShare: z.number().min(0).max(1).nullable(),
  /** Web searches models made, over the raw-log part (monthly aggregates keep none); null when it has none. */
  searches: z.number().int().nonnegative().nullable(),
});
export type TAnalyticsTotals = z.infer<typeof ZAnalyticsTotals>;

export const ZAnalyticsBucket = ZAnalyticsTotals.extend({
  /** `YYYY-MM-DD` (day) or `YYYY-MM` (month, and aggregated months at day granularity). */
  period: z.string(),
  source: z.enum(['logs', 'aggregates']),
});
export type TAnalyticsBucket = z.infer<typeof ZAnalyticsBucket>;

export const ZAnalyticsSummary = z.object({
  from: z.string(),
  to: z.string(),
  granularity: z.enum(['day', 'month']),
  /** Months entirely before this instant are read from the monthly aggregates. */
  rawLogsSince: ZIsoDateTime,
  totals: ZAnalyticsTotals,
  buckets: z.array(ZAnalyticsBucket),
});
export type TAnalyticsSummary = z.infer<typeof ZAnalyticsSummary>;

export const ZAnalyticsModelRow = z.object({
  modelId: z.string(),
  requested: z.number().int().nonnegative(),
  successful: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Answers in comparisons where some models failed and others did not (the log cannot say which). */
  undetermined: z.number().int().nonnegative(),
});
export type TAnalyticsModelRow = z.infer<typeof ZAnalyticsModelRow>;

export const ZAnalyticsByModel = z.object({
  from: z.string(),
  to: z.string(),
  rawLogsSince: ZIsoDateTime,
  models: z.array(ZAnalyticsModelRow),
});
export type TAnalyticsByModel = z.infer<typeof ZAnalyticsByModel>;

/** The maintenance jobs (the API runs them on a schedule; see `pnpm jobs list`). */
export const JOB_NAMES = ['retention', 'resets', 'cleanup'] as const;
export const ZJobName = z.enum(JOB_NAMES, 'Unknown job');
export type TJobName = z.infer<typeof ZJobName>;

export const ZAdminJobRun = z.object({
  trigger: z.enum(['schedule', 'manual']),
  startedAt: ZIsoDateTime,
  finishedAt: ZIsoDateTime.nullable(),
  tookMs: z.number().int().nonnegative().nullable(),
  counts: z.record(z.string(), z.number()),
  error: z.string().nullable(),
});
export type TAdminJobRun = z.infer<typeof ZAdminJobRun>;

export const ZAdminJob = z.object({
  name: ZJobName,
  description: z.string(),
  intervalSeconds: z.number().int().positive(),
  /** Whether this API runs it on its schedule (JOBS_ENABLED). */
  scheduled: z.boolean(),
  lastRun: ZAdminJobRun.nullable(),
});
export type TAdminJob = z.infer<typeof ZAdminJob>;

export const ZAdminJobRunInput = z.object({ name: ZJobName, dryRun: z.boolean().default(false) });
export type TAdminJobRunInput = z.infer<typeof ZAdminJobRunInput>;

/** A job's interval as people say it: "daily", "hourly", "every 6 hours", "every 30 s". */
export function describeInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'daily' : `every ${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return seconds === 3_600 ? 'hourly' : `every ${seconds / 3_600} hours`;
  return `every ${seconds} s`;
}
