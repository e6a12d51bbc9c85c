import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Connection, type Env, resolveConnection } from './config';
import type { ExitCode } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
const COMMON = {
  'api-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface Command {
  name: string;
  /** One line for `compareintel help`. */
  summary: string;
  /** Shown by `compareintel <command> --help`. */
  usage: string;
  run(args: string[], env: Env): Promise<ExitCode>;
}

/**
 * Parse one command's arguments strictly (an unknown flag is an error: exit 2) with the common options;
 * the connection is resolved lazily, so `--help` works without a config.
 */
export function parseCommand<const T extends Options>(args: string[], options: T) {
  const parsed = parseArgs<{
    args: string[];
    options: typeof COMMON & T;
    allowPositionals: true;
    strict: true;
  }>({
    args,
    options: { ...COMMON, ...options },
    allowPositionals: true,
    strict: true,
  });
  // The common options' values, read through their own config (T may not name them).
  const common = parseArgs({ args, options: COMMON, allowPositionals: true, strict: false }).values;
  const apiUrl = typeof common['api-url'] === 'string' ? common['api-url'] : undefined;
  return {
    values: parsed.values,
    positionals: parsed.positionals,
    connection: (env: Env): Connection => resolveConnection(env, apiUrl),
  };
}
