import { AppError, friendlyMessage, hasPermission, type StaffPermission } from '@compareintel/shared';
import { initTRPC, TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { ipKey } from './auth/rate-limits';
import type { AppContext } from './context';

function appErrorOf(error: TRPCError): AppError | null {
  if (error.cause instanceof AppError) return error.cause;
  return null;
}

export interface FieldErrors {
  formErrors: string[];
  fieldErrors: Record<string, string[] | undefined>;
}

/** zod's issues as `{ formErrors, fieldErrors }` keyed by dotted path (e.g. `models`, `models.0`). */
function zodFieldErrors(error: z.ZodError): FieldErrors {
  const result: FieldErrors = { formErrors: [], fieldErrors: {} };
  for (const issue of error.issues) {
    if (issue.path.length === 0) {
      result.formErrors.push(issue.message);
      continue;
    }
    const key = issue.path.map(String).join('.');
    result.fieldErrors[key] = [...(result.fieldErrors[key] ?? []), issue.message];
  }
  return result;
}

/** The first issue as a sentence, naming its field: "prompt: Write a prompt first". */
function readableZodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The request is not valid.';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  const field = first.path.map(String).join('.');
  return `${field ? `${field}: ` : ''}${first.message}${more}`;
}

/** Field problems a service found (wrong current password …), shaped like zod's flattened errors. */
function fieldErrorsOf(appError: AppError | null): FieldErrors | null {
  const fieldErrors = appError?.details.fieldErrors;
  return fieldErrors ? { formErrors: [], fieldErrors } : null;
}

/**
 * initTRPC once. The formatter adds zod's field errors (`data.zodError`) and, for domain errors, the
 * AppError payload (`data.app`: code, sentence, retry time, credits left …) so clients can act on it.
 */
const t = initTRPC.context<AppContext>().create({
  errorFormatter({ shape, error }) {
    const appError = appErrorOf(error);
    const base = appError
      ? {
          ...shape,
          message: appError.userMessage,
          code: TRPC_ERROR_CODES_BY_KEY[appError.trpcCode],
          data: { ...shape.data, code: appError.trpcCode, httpStatus: appError.httpStatus },
        }
      : error.code === 'INTERNAL_SERVER_ERROR'
        ? // An unexpected failure's text (a driver's message, SQL) is for the log, never for the user.
          { ...shape, message: friendlyMessage('INTERNAL') }
        : error.cause instanceof z.ZodError
          ? // zod's own message is its issues as JSON; people read the first problem as a sentence.
            { ...shape, message: readableZodMessage(error.cause) }
          : shape;
    return {
      ...base,
      data: {
        ...base.data,
        stack: undefined,
        zodError: error.cause instanceof z.ZodError ? zodFieldErrors(error.cause) : fieldErrorsOf(appError),
        app: appError ? appError.toData() : null,
      },
    };
  },
  sse: {
    // A comparison ends within MODEL_TIMEOUT_MS (2 min by default); no stream may outlive half an hour.
    maxDurationMs: 30 * 60_000,
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 20_000 },
  },
});

/** Services throw AppError; here it becomes a TRPCError with the matching code and HTTP status. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const appError = appErrorOf(result.error);
    if (appError && result.error.code !== appError.trpcCode) {
      throw new TRPCError({ code: appError.trpcCode, message: appError.userMessage, cause: appError });
    }
  }
  return result;
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
/**
 * Visitors' calls count against a per-IP budget (`publicPerIp`), so nobody can make the API do
 * unbounded work without an account; signed-in users are limited by their own rules.
 */
const visitorBudget = t.middleware(async ({ ctx, next }) => {
  if (!ctx.user) await ctx.rateLimits.consume('publicPerIp', ipKey(ctx.request.ip));
  return next();
});

export const publicProcedure = t.procedure.use(domainErrors).use(visitorBudget);

/** A signed-in, active user; `ctx.user` is non-null from here on. UNAUTHORIZED otherwise. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user?.is_active) throw new AppError('UNAUTHORIZED', 'Please sign in to continue.');
  return next({ ctx: { user: ctx.user } });
});

/** A signed-in user whose email is verified. */
export const verifiedProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.is_verified) {
    throw new AppError(
      'FORBIDDEN',
      'Please verify your email address first: open the link we mailed you, or ask for a new one.',
    );
  }
  return next();
});

/** Called when a staff gate refuses someone, before FORBIDDEN is thrown (the admin router audits it). */
export type StaffRefusalHook = (refusal: {
  ctx: AppContext & { user: NonNullable<AppContext['user']> };
  permission: StaffPermission;
  rawInput: unknown;
}) => Promise<void>;

/** Staff whose role (and `admin_permissions`) grants `permission`; FORBIDDEN for everyone else. */
export function staffProcedure(permission: StaffPermission, options: { onRefused?: StaffRefusalHook } = {}) {
  return authedProcedure.use(async ({ ctx, next, getRawInput }) => {
    if (!hasPermission(ctx.user, permission)) {
      await options.onRefused?.({ ctx, permission, rawInput: await getRawInput().catch(() => undefined) });
      throw new AppError('FORBIDDEN', 'Your account does not have permission to do this.');
    }
    return next();
  });
}
