import { JOB_NAMES, type TJobName, ZJobName } from '@compareintel/shared';
import { z } from 'zod';
import { ZLlmEndpoint } from './models/registry';

const ZStripePrice = z
  .string()
  .regex(/^price_/, 'must be a Stripe price id (price_…)')
  .optional();

/** With a Stripe key, the webhook secret and a price for every tier × period are required too. */
const STRIPE_REQUIRED = [
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_PRICE_STARTER_MONTHLY',
  'STRIPE_PRICE_STARTER_YEARLY',
  'STRIPE_PRICE_STARTER_PLUS_MONTHLY',
  'STRIPE_PRICE_STARTER_PLUS_YEARLY',
  'STRIPE_PRICE_PRO_MONTHLY',
  'STRIPE_PRICE_PRO_YEARLY',
  'STRIPE_PRICE_PRO_PLUS_MONTHLY',
  'STRIPE_PRICE_PRO_PLUS_YEARLY',
] as const;

/**
 * The only reader of process.env. Every setting is validated once at start; a bad value stops the
 * process with one clear line (see main.ts), never a stack trace.
 */
const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .default('sqlite:./data/compareintel.db')
      .refine((url) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(url), {
        message: 'must start with sqlite: or postgres:// (e.g. sqlite:./data/compareintel.db)',
      }),
    APP_URL: z.url().default('http://localhost:5173'),
    WEB_DIST_DIR: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    STAFF_EMAIL: z.email().default('admin@compareintel.local'),
    MIGRATE_ON_START: z.enum(['true', 'false']).optional(),
    OPENROUTER_API_KEY: z.string().optional(),
    OPENROUTER_BASE_URL: z.url().default('https://openrouter.ai/api/v1'),
    /** Per-model time limit for one answer. */
    MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** JSON list of extra OpenAI-compatible endpoints (see README). */
    LLM_ENDPOINTS: z
      .string()
      .default('[]')
      .transform((text, ctx) => {
        try {
          return z.array(ZLlmEndpoint).parse(JSON.parse(text));
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `is not a valid endpoint list: ${error instanceof z.ZodError ? z.prettifyError(error) : String(error)}`,
          });
          return z.NEVER;
        }
      }),
    /**
     * Credit holds of runs in flight (issue 9): a run's streamed text is written to its hold at most
     * HOLD_PROGRESS_MS behind; its process renews the hold's lease every third of HOLD_LEASE_MS; any API
     * process settles holds whose lease ran out (or whose process on this host has exited) every
     * HOLD_SWEEP_MS and at start.
     */
    HOLD_PROGRESS_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    HOLD_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    HOLD_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
    /** How long a finished run's events stay readable (a reload or reconnect after the end replays them). */
    RUN_EVENTS_RETAIN_MS: z.coerce.number().int().min(1000).max(86_400_000).default(120_000),
    /** Prefix of the run-event keys and channels in Redis. */
    RUN_EVENTS_PREFIX: z.string().min(1).max(100).default('ci:run'),
    /** On SIGTERM/SIGINT: how long runs in flight may go on before they are stopped (and settled). */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(25_000),
    /** Run the maintenance jobs on their schedule in this process (default: on, except under NODE_ENV=test). */
    JOBS_ENABLED: z.enum(['true', 'false']).optional(),
    /** Job intervals in seconds, e.g. `retention=86400,resets=3600,cleanup=3600` (any subset). */
    JOB_INTERVALS: z
      .string()
      .default('')
      .transform((text, ctx) => {
        const intervals: Partial<Record<TJobName, number>> = {};
        for (const part of text
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [name, seconds] = part.split('=');
          const job = ZJobName.safeParse(name);
          const value = Number(seconds);
          if (job.success && Number.isInteger(value) && value >= 1) {
            intervals[job.data] = value;
          } else {
            ctx.addIssue({
              code: 'custom',
              message: `has an invalid entry "${part}" (use name=seconds, names ${JOB_NAMES.join(', ')})`,
            });
            return z.NEVER;
          }
        }
        return intervals;
      }),
    /** Search APIs' base URLs (defaults: the real ones; tests and proxies point them elsewhere). */
    BRAVE_SEARCH_URL: z.url().default('https://api.search.brave.com'),
    TAVILY_SEARCH_URL: z.url().default('https://api.tavily.com'),
    /**
     * Let `fetch_url` read private and loopback addresses. Never in production: it exists so end-to-end
     * tests can serve pages from 127.0.0.1.
     */
    WEB_FETCH_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
    MOCK_FIRST_TOKEN_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    MOCK_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(12),
    /** SMTP server for outgoing mail, e.g. smtp://user:pass@smtp.example.com:587; unset = print mail + dev outbox. */
    SMTP_URL: z
      .string()
      .regex(
        /^smtps?:\/\/./,
        'must start with smtp:// or smtps:// (e.g. smtp://user:pass@smtp.example.com:587)',
      )
      .optional(),
    MAIL_FROM: z.string().min(3).max(255).default('CompareIntel <no-reply@compareintel.local>'),
    /** Shared rate limits and run events for several API processes; unset = in-process memory (one process). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/./, 'must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)')
      .optional(),
    /** Prefix of the rate-limit keys in Redis (separates apps or test runs sharing one Redis). */
    RATE_LIMIT_PREFIX: z.string().min(1).max(100).default('ci:rl'),
    /** Sliding lifetime of a sign-in session. */
    SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Usage logs older than this are aggregated per month; analytics read those months from the aggregates. */
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /**
     * Which proxies' X-Forwarded-For to believe: `false` (none: the socket address is the client), a hop
     * count (`1` = one proxy in front; `true` means 1), or a comma list of proxy addresses/CIDRs. The
     * client is the nearest address not trusted, so a client cannot choose its own IP by adding entries.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value, ctx): false | number | string[] => {
        const text = value.trim();
        if (text === 'false' || text === '0') return false;
        if (text === 'true') return 1;
        if (/^\d+$/.test(text)) return Number(text);
        const list = text
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
        if (list.length > 0 && list.every((part) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(part))) return list;
        ctx.addIssue({
          code: 'custom',
          message: 'must be false, a number of proxy hops, or a comma list of proxy addresses/CIDRs',
        });
        return z.NEVER;
      }),
    /** Stripe billing (issue 11); without a secret key the app runs without billing. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_/, 'must be a Stripe secret key (sk_… or rk_…)')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, 'must be a webhook signing secret (whsec_…)')
      .optional(),
    /** Where the Stripe SDK sends requests (tests: a fake Stripe on loopback); unset = Stripe's API. */
    STRIPE_API_URL: z.url().optional(),
    STRIPE_PRICE_STARTER_MONTHLY: ZStripePrice,
    STRIPE_PRICE_STARTER_YEARLY: ZStripePrice,
    STRIPE_PRICE_STARTER_PLUS_MONTHLY: ZStripePrice,
    STRIPE_PRICE_STARTER_PLUS_YEARLY: ZStripePrice,
    STRIPE_PRICE_PRO_MONTHLY: ZStripePrice,
    STRIPE_PRICE_PRO_YEARLY: ZStripePrice,
    STRIPE_PRICE_PRO_PLUS_MONTHLY: ZStripePrice,
    STRIPE_PRICE_PRO_PLUS_YEARLY: ZStripePrice,
    /** The metered price (on a Billing Meter) that overage credits are billed through; optional. */
    STRIPE_PRICE_OVERAGE: ZStripePrice,
    /** The Billing Meter's event name that overage credits are reported under. */
    STRIPE_OVERAGE_METER_EVENT: z.string().min(1).max(100).default('compareintel_overage_credits'),
  })
  .superRefine((env, ctx) => {
    if (!env.STRIPE_SECRET_KEY) return;
    for (const name of STRIPE_REQUIRED) {
      if (!env[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when STRIPE_SECRET_KEY is set' });
    }
  });

export type AppConfig = Omit<z.infer<typeof ZEnv>, 'MIGRATE_ON_START' | 'JOBS_ENABLED'> & {
  MIGRATE_ON_START: boolean;
  JOBS_ENABLED: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse a process-like environment into the app's config; throws ConfigError naming the bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  // Empty strings mean "unset" so that `FOO= pnpm dev` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const variable = first?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${variable} ${first?.message ?? 'is invalid'}`);
  }
  const { MIGRATE_ON_START, JOBS_ENABLED, ...rest } = parsed.data;
  if (rest.NODE_ENV === 'production' && rest.WEB_FETCH_ALLOW_PRIVATE === 'true') {
    throw new ConfigError('Invalid configuration: WEB_FETCH_ALLOW_PRIVATE must not be true in production');
  }
  // Development and tests migrate on start; production migrates only when asked (or via `pnpm db:migrate`).
  const migrateOnStart = MIGRATE_ON_START ? MIGRATE_ON_START === 'true' : rest.NODE_ENV !== 'production';
  const jobsEnabled = JOBS_ENABLED ? JOBS_ENABLED === 'true' : rest.NODE_ENV !== 'test';
  return { ...rest, MIGRATE_ON_START: migrateOnStart, JOBS_ENABLED: jobsEnabled };
}
