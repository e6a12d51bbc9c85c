import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { MIGRATIONS, MIGRATIONS_TABLE, migrationSource } from './migration-source';
import { bindModels, type Models } from './models';
import type { Dialect } from './schema-helpers';
import { type Sql, sqlOn, sqlTransaction } from './sql';
import { SqliteClient } from './sqlite-client';

export type { Dialect } from './schema-helpers';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/compareintel.db';

/** A DATABASE_URL that cannot be used, or a database that cannot be reached: one line, safe to print. */
export class DatabaseConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseConfigError';
  }
}

export interface MigrationList {
  applied: string[];
  pending: string[];
}

export interface Db {
  knex: Knex;
  dialect: Dialect;
  models: Models;
  /** Plain statements through the driver (see sql.ts), each on a pooled connection. */
  sql: Sql;
  /** `work` in one transaction of plain statements (see sql.ts). */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  migrateLatest(): Promise<void>;
  rollbackAll(): Promise<void>;
  /** Name of the newest applied migration (e.g. `20251125000011_create_app_settings`), or null. */
  migrationVersion(): Promise<string | null>;
  listMigrations(): Promise<MigrationList>;
  /** `select 1`; rejects when the database is unreachable. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

export interface CreateDbOptions {
  /** PostgreSQL only: the schema every table (and knex_migrations) lives in. Used by createTestDb. */
  searchPath?: string;
}

type ParsedUrl =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'pg'; connectionString: string; host: string; port: string; database: string };

export function parseDatabaseUrl(url: string): ParsedUrl {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length);
    if (filename === '') {
      throw new DatabaseConfigError(
        'DATABASE_URL sqlite: needs a file path (e.g. sqlite:./data/compareintel.db)',
      );
    }
    return { dialect: 'sqlite', filename };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new DatabaseConfigError(`DATABASE_URL is not a valid URL (got "${redactDatabaseUrl(url)}")`, {
        cause,
      });
    }
    return {
      dialect: 'pg',
      connectionString: url,
      host: parsed.hostname || 'localhost',
      port: parsed.port || '5432',
      database: decodeURIComponent(parsed.pathname.slice(1)),
    };
  }
  throw new DatabaseConfigError(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${redactDatabaseUrl(url)}")`,
  );
}

/** The URL with any password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/**
 * A relative `sqlite:` path made absolute against `baseDir`; any other URL unchanged. The CLI uses it so
 * `pnpm db:migrate` run from the repo root writes where the user expects, not under packages/db.
 */
export function resolveDatabaseUrl(url: string, baseDir: string): string {
  if (!url.startsWith('sqlite:')) return url;
  const filename = url.slice('sqlite:'.length);
  if (filename === '' || filename === ':memory:' || isAbsolute(filename)) return url;
  return `sqlite:${resolve(baseDir, filename)}`;
}

/**
 * knex warns with a full stack on every failed connection attempt and then rejects the query with the
 * same error; the caller reports that one (connectDb makes it a one-liner), so the warning is dropped.
 */
function warnUnlessThrown(message: string): void {
  if (message.startsWith('Acquire connection error:')) return;
  console.warn(message);
}

let pgParsersInstalled = false;

/** pg returns int8 and numeric as strings and date as a local-midnight Date; we want numbers and 'YYYY-MM-DD'. */
function installPgTypeParsers(): void {
  if (pgParsersInstalled) return;
  pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number.parseFloat(value));
  pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
  pgParsersInstalled = true;
}

function knexConfig(parsed: ParsedUrl, options: CreateDbOptions): Knex.Config {
  const common = {
    // Errors carry the SQL with `?` placeholders, not the bound values (emails, password hashes, tokens).
    compileSqlOnError: false,
    log: { warn: warnUnlessThrown },
  } satisfies Knex.Config;
  if (parsed.dialect === 'pg') {
    installPgTypeParsers();
    return {
      ...common,
      client: 'pg',
      connection: parsed.connectionString,
      ...(options.searchPath === undefined ? {} : { searchPath: [options.searchPath] }),
    };
  }
  const inMemory = parsed.filename === ':memory:';
  if (!inMemory) {
    const directory = dirname(resolve(parsed.filename));
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new DatabaseConfigError(
        `Cannot create the directory of SQLite database ${parsed.filename}: ${describeError(error)}`,
        { cause: error },
      );
    }
  }
  return {
    ...common,
    client: SqliteClient,
    connection: { filename: parsed.filename },
    useNullAsDefault: true,
    pool: {
      // One connection: SQLite serialises writers anyway, and an in-memory database is per connection.
      min: 1,
      max: 1,
      afterCreate: (
        connection: BetterSqlite3.Database,
        done: (error: Error | null, connection: BetterSqlite3.Database) => void,
      ) => {
        try {
          connection.pragma('foreign_keys = ON');
          connection.pragma('busy_timeout = 5000');
          if (!inMemory) connection.pragma('journal_mode = WAL');
          // With WAL, NORMAL never corrupts the file; it only skips the fsync per commit (the usual setting).
          connection.pragma('synchronous = NORMAL');
          done(null, connection);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)), connection);
        }
      },
    },
  };
}

/** A PostgreSQL URL whose connections use `schema` (for other processes sharing a test or bench schema). */
export function schemaScopedUrl(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/**
 * A database handle; lazy: nothing connects until the first query (use `connectDb` to fail fast).
 * `url` defaults to DATABASE_URL, then `sqlite:./data/compareintel.db`.
 */
export function createDb(url?: string, options: CreateDbOptions = {}): Db {
  const resolvedUrl = url ?? (process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const parsed = parseDatabaseUrl(resolvedUrl);
  const knex = knexFactory(knexConfig(parsed, options));
  const migrationConfig = { migrationSource, tableName: MIGRATIONS_TABLE } satisfies Knex.MigratorConfig;

  async function appliedMigrations(): Promise<string[]> {
    if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return [];
    const rows: Array<{ name: string }> = await knex(MIGRATIONS_TABLE).select('name').orderBy('id');
    return rows.map((row) => row.name);
  }

  return {
    knex,
    dialect: parsed.dialect,
    models: bindModels(knex),
    sql: sqlOn(knex),
    transaction: (work) => sqlTransaction(knex, work),
    async migrateLatest() {
      await knex.migrate.latest(migrationConfig);
    },
    async rollbackAll() {
      await knex.migrate.rollback(migrationConfig, true);
    },
    async migrationVersion() {
      return (await appliedMigrations()).at(-1) ?? null;
    },
    async listMigrations() {
      const applied = await appliedMigrations();
      const pending = MIGRATIONS.map((entry) => entry.name).filter((name) => !applied.includes(name));
      return { applied, pending };
    },
    async ping() {
      await knex.raw('select 1');
    },
    async destroy() {
      await knex.destroy();
    },
  };
}

/**
 * createDb, then a ping, so a wrong URL, a stopped server, bad credentials or a missing database surface
 * at startup as one DatabaseConfigError line (never containing the password).
 */
export async function connectDb(url?: string, options: CreateDbOptions = {}): Promise<Db> {
  const resolvedUrl = url ?? (process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const parsed = parseDatabaseUrl(resolvedUrl);
  const db = createDb(resolvedUrl, options);
  try {
    await db.ping();
    return db;
  } catch (error) {
    await db.destroy();
    const where =
      parsed.dialect === 'pg'
        ? `Cannot reach PostgreSQL at ${parsed.host}:${parsed.port}`
        : `Cannot open SQLite database at ${parsed.filename}`;
    throw new DatabaseConfigError(`${where}: ${describeError(error)}`, { cause: error });
  }
}

function describeError(error: unknown): string {
  // Node reports a refused dual-stack connect as an AggregateError with an empty message.
  if (error instanceof AggregateError && error.message === '') {
    const first: unknown = error.errors[0];
    if (first !== undefined) return describeError(first);
  }
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
