import { isTRPCClientError, type TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import type { AppRouter } from '../router';

/** The error a call over HTTP failed with (formatted: `data.code`, `data.zodError`, `data.app`). */
export async function httpFailure(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (error) {
    if (isTRPCClientError<AppRouter>(error)) return error;
    throw error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

/** The error a direct (createCaller) call failed with. */
export async function callerFailure(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}
