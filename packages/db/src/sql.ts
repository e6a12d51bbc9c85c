import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type pg from 'pg';
import { type Dialect, dialectOf } from './schema-helpers';
import { preparedStatement, toNodeSqliteShape } from './sqlite-client';

/**
 * Plain SQL straight through the driver, for the statements every comparison runs (admission, progress,
 * settlement, the session lookup). Knex builds, compiles and wraps each query and Objection adds model
 * hooks on top: a few hundred microseconds a statement, which was a fifth of the API's CPU per comparison.
 * Here a statement is a string with `?` placeholders (written once for both dialects; `$n` for
 * PostgreSQL is derived), run on a connection of knex's own pool, or on the connection of a knex
 * transaction the caller already holds: both kinds of caller share one set of statements.
 */

export type SqlValue = string | number | boolean | Date | null;

export interface Sql {
  readonly dialect: Dialect;
  /** The rows a query (or a statement with RETURNING) answers. */
  all<Row = Record<string, unknown>>(text: string, bindings?: readonly SqlValue[]): Promise<Row[]>;
  first<Row = Record<string, unknown>>(
    text: string,
    bindings?: readonly SqlValue[],
  ): Promise<Row | undefined>;
  /** How many rows a statement changed. */
  run(text: string, bindings?: readonly SqlValue[]): Promise<number>;
}

type Connection = BetterSqlite3.Database | pg.Client;

interface PoolClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown> | unknown;
}

const pgTexts = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1, $2 …` (the statements here have no `?` inside literals). */
function pgText(text: string): string {
  let converted = pgTexts.get(text);
  if (converted === undefined) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${++n}`);
    pgTexts.set(text, converted);
  }
  return converted;
}

/** SQLite stores timestamps as ISO-8601 UTC text and booleans as 0/1 (better-sqlite3 binds neither). */
function sqliteValue(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

async function execute(
  dialect: Dialect,
  connection: Connection,
  text: string,
  bindings: readonly SqlValue[],
): Promise<{ rows: Record<string, unknown>[]; changed: number }> {
  if (dialect === 'pg') {
    const result = await (connection as pg.Client).query(pgText(text), [...bindings]);
    return { rows: result.rows, changed: result.rowCount ?? 0 };
  }
  try {
    const statement = preparedStatement(connection as BetterSqlite3.Database, text);
    const values = bindings.map(sqliteValue);
    if (statement.reader) {
      const rows = statement.all(values) as Record<string, unknown>[];
      return { rows, changed: rows.length };
    }
    return { rows: [], changed: statement.run(values).changes };
  } catch (error) {
    throw toNodeSqliteShape(error);
  }
}

function clientOf(knex: Knex | Knex.Transaction): PoolClient {
  return knex.client as unknown as PoolClient;
}

/** Runs each statement on the connection `acquire` gives (and `release` takes back). */
function sqlOver(
  dialect: Dialect,
  acquire: () => Promise<Connection>,
  release: (connection: Connection) => unknown,
): Sql {
  async function statement(text: string, bindings: readonly SqlValue[] = []) {
    const connection = await acquire();
    try {
      return await execute(dialect, connection, text, bindings);
    } finally {
      await release(connection);
    }
  }
  return {
    dialect,
    all: async <Row>(text: string, bindings?: readonly SqlValue[]) =>
      (await statement(text, bindings)).rows as Row[],
    first: async <Row>(text: string, bindings?: readonly SqlValue[]) =>
      (await statement(text, bindings)).rows[0] as Row | undefined,
    run: async (text: string, bindings?: readonly SqlValue[]) => (await statement(text, bindings)).changed,
  };
}

/**
 * Statements on `knex`: each on a connection of the pool when it is the database's knex, or on the
 * transaction's own connection when it is a knex transaction.
 */
export function sqlOn(knex: Knex | Knex.Transaction): Sql {
  const client = clientOf(knex);
  return sqlOver(
    dialectOf(knex),
    () => client.acquireConnection(),
    (connection) => client.releaseConnection(connection),
  );
}

/**
 * `work` in one transaction on one pooled connection: committed when it resolves, rolled back when it
 * throws. Lock order and retry rules are the caller's, exactly as with knex transactions.
 */
export async function sqlTransaction<T>(knex: Knex, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = clientOf(knex);
  const dialect = dialectOf(knex);
  const connection = await client.acquireConnection();
  const sql = sqlOver(
    dialect,
    async () => connection,
    () => undefined,
  );
  try {
    await execute(dialect, connection, 'BEGIN', []);
    const result = await work(sql);
    await execute(dialect, connection, 'COMMIT', []);
    return result;
  } catch (error) {
    await execute(dialect, connection, 'ROLLBACK', []).catch(() => undefined);
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}
