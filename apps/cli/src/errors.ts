import type { AppRouter } from '@compareintel/api';
import { TRPCClientError } from '@trpc/client';

/** What scripts can test: documented in the README and in `compareintel help`. */
export const EXIT = {
  ok: 0,
  /** Anything else: the API could not be reached, every model failed, an unexpected answer. */
  failed: 1,
  /** Bad input: an unknown flag, an empty prompt, an unknown model, an id that does not exist. */
  badInput: 2,
  /** Refused for credits (PAYMENT_REQUIRED) or for the tier or model access (FORBIDDEN). */
  refused: 3,
  /** Not signed in, or the token is no longer valid. */
  auth: 4,
  /** Ctrl+C: the run was stopped and settled first. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI itself raises: one line for the user and the exit code it stands for. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

const EXIT_BY_TRPC_CODE: Readonly<Record<string, ExitCode>> = {
  BAD_REQUEST: EXIT.badInput,
  PARSE_ERROR: EXIT.badInput,
  UNPROCESSABLE_CONTENT: EXIT.badInput,
  PAYLOAD_TOO_LARGE: EXIT.badInput,
  NOT_FOUND: EXIT.badInput,
  PAYMENT_REQUIRED: EXIT.refused,
  FORBIDDEN: EXIT.refused,
  UNAUTHORIZED: EXIT.auth,
};

/** The deepest `code` (ECONNREFUSED, ENOTFOUND …) or message in an error's cause chain. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  let reason = error instanceof Error ? error.message : String(error);
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (current.message && current.message !== 'fetch failed') reason = current.message;
    current = current.cause;
  }
  return reason;
}

export interface DescribedError {
  message: string;
  exitCode: ExitCode;
}

/** Any failure as one readable line (the API's own sentence when it answered) and its exit code. */
export function describeError(error: unknown, apiUrl: string): DescribedError {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof TRPCClientError) {
    const { data } = error as TRPCClientError<AppRouter>;
    if (data?.code) {
      return { message: error.message, exitCode: EXIT_BY_TRPC_CODE[data.code] ?? EXIT.failed };
    }
    return {
      message: `Could not reach the API at ${apiUrl}: ${networkReason(error)}`,
      exitCode: EXIT.failed,
    };
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.failed };
}
