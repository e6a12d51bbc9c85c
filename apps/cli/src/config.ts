import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from './errors';

export const DEFAULT_API_URL = 'http://localhost:3000';

/** What `login` keeps between runs: the API it signed in to and the bearer token it got. */
export interface StoredConfig {
  apiUrl?: string;
  token?: string;
  email?: string;
}

export type Env = Record<string, string | undefined>;

/** `$XDG_CONFIG_HOME/compareintel`, else `~/.config/compareintel`. */
export function configDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || path.join(homedir(), '.config');
  return path.join(base, 'compareintel');
}

export function configPath(env: Env): string {
  return path.join(configDir(env), 'config.json');
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

export function readConfig(env: Env): StoredConfig {
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`The config file ${file} is not valid JSON: fix it or delete it.`, EXIT.failed);
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record: Record<string, unknown> = { ...parsed };
  return {
    apiUrl: optionalString(record.apiUrl),
    token: optionalString(record.token),
    email: optionalString(record.email),
  };
}

/** Written to a temporary file first (mode 0600 from the start), then renamed over the old one. */
export function writeConfig(env: Env, config: StoredConfig): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = configPath(env);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return file;
}

export function deleteConfig(env: Env): void {
  rmSync(configPath(env), { force: true });
}

export interface Connection {
  apiUrl: string;
  token: string | null;
}

/** `--api-url`, else COMPAREINTEL_URL, else the URL saved at login, else localhost:3000. */
export function resolveConnection(env: Env, apiUrlFlag: string | undefined): Connection {
  const stored = readConfig(env);
  const raw = apiUrlFlag ?? env.COMPAREINTEL_URL ?? stored.apiUrl ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(
      `The API URL "${raw}" is not a URL (expected e.g. ${DEFAULT_API_URL}).`,
      EXIT.badInput,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`The API URL "${raw}" must start with http:// or https://.`, EXIT.badInput);
  }
  const token = env.COMPAREINTEL_TOKEN?.trim() || stored.token || null;
  return { apiUrl: url.toString().replace(/\/+$/, ''), token };
}
