import { describe, expect, it } from 'vitest';
import {
  APP_ERROR_CODES,
  AppError,
  AppErrorCode,
  appErrorCodeFromTrpc,
  friendlyMessage,
  HTTP_STATUS_BY_APP_ERROR,
  TRPC_CODE_BY_APP_ERROR,
  ZAppErrorData,
} from './errors';

describe('AppErrorCode maps', () => {
  it('maps every code to a tRPC code, an HTTP status and a sentence', () => {
    for (const code of APP_ERROR_CODES) {
      expect(TRPC_CODE_BY_APP_ERROR[code]).toBeTypeOf('string');
      expect(HTTP_STATUS_BY_APP_ERROR[code]).toBeGreaterThanOrEqual(400);
      expect(friendlyMessage(code)).toMatch(/\.$/);
    }
    expect(TRPC_CODE_BY_APP_ERROR.PAYMENT_REQUIRED).toBe('PAYMENT_REQUIRED');
    expect(HTTP_STATUS_BY_APP_ERROR.PAYMENT_REQUIRED).toBe(402);
    expect(TRPC_CODE_BY_APP_ERROR.INTERNAL).toBe('INTERNAL_SERVER_ERROR');
  });

  it('maps tRPC codes back', () => {
    expect(appErrorCodeFromTrpc('INTERNAL_SERVER_ERROR')).toBe('INTERNAL');
    expect(appErrorCodeFromTrpc('TOO_MANY_REQUESTS')).toBe('TOO_MANY_REQUESTS');
    expect(appErrorCodeFromTrpc('PARSE_ERROR')).toBe('BAD_REQUEST');
    expect(appErrorCodeFromTrpc('TIMEOUT')).toBe('INTERNAL');
  });
});

describe('AppError', () => {
  it('carries a user message and details for the client', () => {
    const error = new AppError(AppErrorCode.PAYMENT_REQUIRED, undefined, { creditsRemaining: 3 });
    expect(error.userMessage).toBe(friendlyMessage('PAYMENT_REQUIRED'));
    expect(error.httpStatus).toBe(402);
    expect(ZAppErrorData.parse(error.toData())).toEqual({
      appCode: 'PAYMENT_REQUIRED',
      userMessage: 'You do not have enough credits left for this.',
      creditsRemaining: 3,
    });
  });

  it('rejects unknown codes and tiers in error data', () => {
    expect(ZAppErrorData.safeParse({ appCode: 'TEAPOT', userMessage: 'x' }).success).toBe(false);
    expect(
      ZAppErrorData.safeParse({ appCode: 'FORBIDDEN', userMessage: 'x', requiredTier: 'gold' }).success,
    ).toBe(false);
  });
});
