// knex ships no types for its dialect modules; this is the one we extend (see sqlite-client.ts).
declare module 'knex/lib/dialects/better-sqlite3/index.js' {
  import type { Knex } from 'knex';

  export default class Client_BetterSQLite3 extends Knex.Client {
    _query(connection: unknown, queryObject: unknown): Promise<unknown>;
    _formatBindings(bindings: readonly unknown[] | undefined): unknown[];
  }
}
