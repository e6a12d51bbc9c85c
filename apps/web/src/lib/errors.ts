import type { AppRouter } from '@compareintel/api';
import { type AppErrorCode, friendlyMessage, type TAppErrorData } from '@compareintel/shared';
import { isTRPCClientError } from '@trpc/client';

export const NETWORK_MESSAGE = "Can't reach CompareIntel. Check your connection.";

/** An API failure in words a person understands, plus what the UI needs to offer a way out. */
export interface ReadableError {
  message: string;
  code: AppErrorCode | 'NETWORK';
  /** Per-field sentences (zod or service), to show next to the inputs. */
  fieldErrors: Record<string, string[]>;
  requiredTier: TAppErrorData['requiredTier'] | null;
  creditsRemaining: number | null;
  retryAfterSeconds: number | null;
}

const NETWORK_PATTERNS = [/failed to fetch/i, /networkerror/i, /load failed/i, /network request failed/i];

function isNetworkFailure(error: Error): boolean {
  if (NETWORK_PATTERNS.some((pattern) => pattern.test(error.message))) return true;
  return (
    error.cause instanceof Error && NETWORK_PATTERNS.some((pattern) => pattern.test(String(error.cause)))
  );
}

function responseStatus(meta: Record<string, unknown> | undefined): number | null {
  const response = meta?.response;
  return response instanceof Response ? response.status : null;
}

function compactFieldErrors(
  source: Record<string, string[] | undefined> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(source ?? {})) {
    if (messages && messages.length > 0) result[field] = messages;
  }
  return result;
}

function readable(
  message: string,
  code: ReadableError['code'],
  extra: Partial<ReadableError> = {},
): ReadableError {
  return {
    message,
    code,
    fieldErrors: {},
    requiredTier: null,
    creditsRemaining: null,
    retryAfterSeconds: null,
    ...extra,
  };
}

/**
 * Map anything thrown by a tRPC call to a sentence: the API's own `data.app.userMessage` when it sent
 * one, zod's first field message for invalid input, a fixed sentence for network trouble. Never JSON.
 */
export function readError(error: unknown): ReadableError {
  if (isTRPCClientError<AppRouter>(error)) {
    const data = error.data;
    const app = data?.app ?? null;
    const fieldErrors = compactFieldErrors(data?.zodError?.fieldErrors);
    if (app) {
      return readable(app.userMessage, app.appCode, {
        fieldErrors: { ...fieldErrors, ...compactFieldErrors(app.fieldErrors) },
        requiredTier: app.requiredTier ?? null,
        creditsRemaining: app.creditsRemaining ?? null,
        retryAfterSeconds: app.retryAfterSeconds ?? null,
      });
    }
    const firstField = Object.values(fieldErrors)[0]?.[0];
    if (firstField) return readable(firstField, 'BAD_REQUEST', { fieldErrors });
    if (!data && isNetworkFailure(error)) return readable(NETWORK_MESSAGE, 'NETWORK');
    const status = responseStatus(error.meta);
    if (status === 431 || status === 414) {
      return readable('This message is too long to send in one request. Please shorten it.', 'BAD_REQUEST');
    }
    if (status !== null && status >= 502 && status <= 504) return readable(NETWORK_MESSAGE, 'NETWORK');
    const code = data?.code;
    if (code === 'TOO_MANY_REQUESTS')
      return readable(friendlyMessage('TOO_MANY_REQUESTS'), 'TOO_MANY_REQUESTS');
    if (code === 'UNAUTHORIZED') return readable(friendlyMessage('UNAUTHORIZED'), 'UNAUTHORIZED');
    if (code === 'NOT_FOUND') return readable(friendlyMessage('NOT_FOUND'), 'NOT_FOUND');
    if (code === 'BAD_REQUEST') return readable(friendlyMessage('BAD_REQUEST'), 'BAD_REQUEST');
    return readable(friendlyMessage('INTERNAL'), 'INTERNAL');
  }
  if (error instanceof Error && isNetworkFailure(error)) return readable(NETWORK_MESSAGE, 'NETWORK');
  return readable(friendlyMessage('INTERNAL'), 'INTERNAL');
}

export function errorMessage(error: unknown): string {
  return readError(error).message;
}
