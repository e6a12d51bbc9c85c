import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { NETWORK_MESSAGE, readError } from './errors';

function apiError(data: unknown, message = 'raw message') {
  return TRPCClientError.from({ error: { message, code: -32600, data } });
}

describe('readError', () => {
  it("uses the API's own sentence and details", () => {
    const error = apiError({
      code: 'PAYMENT_REQUIRED',
      httpStatus: 402,
      zodError: null,
      app: {
        appCode: 'PAYMENT_REQUIRED',
        userMessage: 'This comparison needs about 4 credits and you have 1 left.',
        creditsRemaining: 1,
      },
    });
    expect(readError(error)).toMatchObject({
      message: 'This comparison needs about 4 credits and you have 1 left.',
      code: 'PAYMENT_REQUIRED',
      creditsRemaining: 1,
    });
  });

  it('keeps the tier that unlocks a refused model', () => {
    const error = apiError({
      code: 'FORBIDDEN',
      app: {
        appCode: 'FORBIDDEN',
        userMessage: 'Claude Opus 4 is not available to you.',
        requiredTier: 'starter',
      },
      zodError: null,
    });
    expect(readError(error)).toMatchObject({ code: 'FORBIDDEN', requiredTier: 'starter' });
  });

  it("puts zod's field errors next to the fields, first one as the sentence", () => {
    const error = apiError({
      code: 'BAD_REQUEST',
      app: null,
      zodError: { formErrors: [], fieldErrors: { password: ['Password must contain at least one digit'] } },
    });
    expect(readError(error)).toMatchObject({
      message: 'Password must contain at least one digit',
      fieldErrors: { password: ['Password must contain at least one digit'] },
    });
  });

  it('says the network is the problem when the API cannot be reached', () => {
    const error = TRPCClientError.from(new TypeError('Failed to fetch'));
    expect(readError(error).message).toBe(NETWORK_MESSAGE);
    expect(readError(new TypeError('NetworkError when attempting to fetch resource.')).message).toBe(
      NETWORK_MESSAGE,
    );
  });

  it('never shows raw messages for unknown failures', () => {
    expect(
      readError(
        apiError({ code: 'INTERNAL_SERVER_ERROR', app: null, zodError: null }, 'TypeError: x is undefined'),
      ).message,
    ).toBe('Something went wrong on our side. Please try again.');
    expect(readError('weird').message).toBe('Something went wrong on our side. Please try again.');
  });
});
