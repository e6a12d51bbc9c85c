/**
 * Domain error codes shared by API and web. Services throw `AppError(code, userMessage)`; the API's one
 * error formatter maps it to a tRPC code and HTTP status with the tables below and attaches
 * `TAppErrorData` for the client. No server imports: the tRPC codes are plain string literals that
 * match tRPC v11's TRPC_ERROR_CODES_BY_KEY.
 */
import { z } from 'zod';
import { TIER_IDS } from './tiers';

export const AppErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

export const APP_ERROR_CODES = [
  AppErrorCode.BAD_REQUEST,
  AppErrorCode.UNAUTHORIZED,
  AppErrorCode.FORBIDDEN,
  AppErrorCode.NOT_FOUND,
  AppErrorCode.CONFLICT,
  AppErrorCode.TOO_MANY_REQUESTS,
  AppErrorCode.PAYMENT_REQUIRED,
  AppErrorCode.PRECONDITION_FAILED,
  AppErrorCode.SERVICE_UNAVAILABLE,
  AppErrorCode.INTERNAL,
] as const;

export const ZAppErrorCode = z.enum(APP_ERROR_CODES);

/** The subset of tRPC v11 error code keys this app uses. */
export type TrpcErrorCodeKey =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PAYMENT_REQUIRED'
  | 'PRECONDITION_FAILED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export const TRPC_CODE_BY_APP_ERROR: Readonly<Record<AppErrorCode, TrpcErrorCodeKey>> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export const HTTP_STATUS_BY_APP_ERROR: Readonly<Record<AppErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  PAYMENT_REQUIRED: 402,
  PRECONDITION_FAILED: 412,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The reverse map, for errors tRPC raised itself (input validation, unknown procedure …). */
export function appErrorCodeFromTrpc(trpcCode: string): AppErrorCode {
  for (const code of APP_ERROR_CODES) {
    if (TRPC_CODE_BY_APP_ERROR[code] === trpcCode) return code;
  }
  if (
    trpcCode === 'PARSE_ERROR' ||
    trpcCode === 'UNPROCESSABLE_CONTENT' ||
    trpcCode === 'PAYLOAD_TOO_LARGE'
  ) {
    return AppErrorCode.BAD_REQUEST;
  }
  return AppErrorCode.INTERNAL;
}

const FRIENDLY_MESSAGES: Readonly<Record<AppErrorCode, string>> = {
  BAD_REQUEST: 'Something in the request is not right. Please check it and try again.',
  UNAUTHORIZED: 'Please sign in to continue.',
  FORBIDDEN: 'Your account does not have access to this.',
  NOT_FOUND: 'We could not find what you were looking for.',
  CONFLICT: 'This conflicts with something that already exists.',
  TOO_MANY_REQUESTS: 'Too many attempts. Please wait a moment and try again.',
  PAYMENT_REQUIRED: 'You do not have enough credits left for this.',
  PRECONDITION_FAILED: 'This is not available right now.',
  SERVICE_UNAVAILABLE: 'This server is restarting. Please try again in a moment.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
};

/** A default sentence a person understands, for when a service gives no more specific message. */
export function friendlyMessage(code: AppErrorCode): string {
  return FRIENDLY_MESSAGES[code];
}

/** What the client receives about a failed call (the formatter puts it in the error's `data`). */
export const ZAppErrorData = z.object({
  appCode: ZAppErrorCode,
  userMessage: z.string(),
  /** TOO_MANY_REQUESTS: when to try again. */
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  /** PAYMENT_REQUIRED: the credits the user still has. */
  creditsRemaining: z.number().optional(),
  /** FORBIDDEN for a model or limit above the user's tier: the tier that unlocks it. */
  requiredTier: z.enum(TIER_IDS).optional(),
  /** BAD_REQUEST found by a service (a wrong current password, an unknown model id): per-field sentences. */
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
});
export type TAppErrorData = z.infer<typeof ZAppErrorData>;

export type AppErrorDetails = Omit<TAppErrorData, 'appCode' | 'userMessage'>;

/** The error services throw. `userMessage` is shown as is, so it never leaks internals. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly details: AppErrorDetails;

  constructor(
    code: AppErrorCode,
    userMessage?: string,
    details: AppErrorDetails = {},
    options?: ErrorOptions,
  ) {
    const message = userMessage ?? friendlyMessage(code);
    super(message, options);
    this.code = code;
    this.userMessage = message;
    this.details = details;
  }

  get trpcCode(): TrpcErrorCodeKey {
    return TRPC_CODE_BY_APP_ERROR[this.code];
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_APP_ERROR[this.code];
  }

  toData(): TAppErrorData {
    return { appCode: this.code, userMessage: this.userMessage, ...this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
