// Referenced (not just included by tsconfig) so packages type-checking this source see the declaration too.
/// <reference path="./knex-dialects.d.ts" />
import type BetterSqlite3 from 'better-sqlite3';
import BetterSqlite3Client from 'knex/lib/dialects/better-sqlite3/index.js';

/** Distinct statements kept prepared per connection (the app issues a few hundred shapes of SQL). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Per connection (module-level: knex builds transaction clients with Object.create, without running
 * constructors or field initialisers).
 */
const preparedStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

interface QueryObject {
  sql: string;
  bindings?: readonly unknown[];
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}

/**
 * knex's better-sqlite3 client with driver errors reshaped like node-sqlite3's
 * (`code: 'SQLITE_CONSTRAINT'`, numeric `errno`, message `SQLITE_CONSTRAINT: UNIQUE constraint failed: …`).
 * That is the shape objection's error wrapper (db-errors) recognises, so `UniqueViolationError`,
 * `ForeignKeyViolationError`, `NotNullViolationError` and `CheckViolationError` come out of SQLite exactly
 * as they do out of PostgreSQL. Without this, better-sqlite3 errors reach callers as bare `SqliteError`s.
 *
 * Also binds a `Date` as ISO-8601 UTC text, the format the timestamp columns hold, where knex would bind
 * epoch milliseconds (which never compare correctly against that text), and keeps each connection's
 * statements prepared: knex prepares every query anew, and compiling SQL was a tenth of the API's CPU.
 */
/** The connection's prepared statement for `sql`, prepared on first use (see STATEMENT_CACHE_SIZE). */
export function preparedStatement(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = preparedStatements.get(connection);
  if (!cache) {
    cache = new Map();
    preparedStatements.set(connection, cache);
  }
  let statement = cache.get(sql);
  if (statement) {
    // Most recently used last, so the oldest is the first to go.
    cache.delete(sql);
  } else {
    statement = connection.prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sql, statement);
  return statement;
}

export class SqliteClient extends BetterSqlite3Client {
  override _formatBindings(bindings: readonly unknown[] | undefined): unknown[] {
    return super._formatBindings(
      bindings?.map((value) => (value instanceof Date ? value.toISOString() : value)),
    );
  }

  override async _query(connection: unknown, queryObject: unknown): Promise<unknown> {
    const obj = queryObject as QueryObject;
    if (!obj.sql) throw new Error('The query is empty');
    try {
      const statement = preparedStatement(connection as BetterSqlite3.Database, obj.sql);
      const bindings = this._formatBindings(obj.bindings);
      if (statement.reader) {
        obj.response = statement.all(bindings);
        return obj;
      }
      const response = statement.run(bindings);
      obj.response = response;
      obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
      return obj;
    } catch (error) {
      throw toNodeSqliteShape(error);
    }
  }
}

// Primary result codes from https://sqlite.org/rescode.html for the families better-sqlite3 reports.
const PRIMARY_RESULT_CODES: Readonly<Record<string, number>> = {
  SQLITE_ERROR: 1,
  SQLITE_BUSY: 5,
  SQLITE_LOCKED: 6,
  SQLITE_READONLY: 8,
  SQLITE_IOERR: 10,
  SQLITE_CORRUPT: 11,
  SQLITE_FULL: 13,
  SQLITE_CANTOPEN: 14,
  SQLITE_CONSTRAINT: 19,
  SQLITE_MISMATCH: 20,
  SQLITE_RANGE: 25,
};

export class SqliteDriverError extends Error {
  readonly code: string;
  readonly errno: number;
  /** better-sqlite3's extended code, e.g. `SQLITE_CONSTRAINT_UNIQUE`. */
  readonly extendedCode: string;

  constructor(code: string, extendedCode: string, message: string, cause: Error) {
    super(`${code}: ${message}`, { cause });
    this.name = 'SqliteDriverError';
    this.code = code;
    this.errno = PRIMARY_RESULT_CODES[code] ?? 1;
    this.extendedCode = extendedCode;
  }
}

export function toNodeSqliteShape(error: unknown): unknown {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return error;
  const extendedCode = error.code;
  if (!extendedCode.startsWith('SQLITE_')) return error;
  const code = Object.keys(PRIMARY_RESULT_CODES).find(
    (primary) => extendedCode === primary || extendedCode.startsWith(`${primary}_`),
  );
  return new SqliteDriverError(code ?? 'SQLITE_ERROR', extendedCode, error.message, error);
}
