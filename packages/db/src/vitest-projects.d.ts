export interface DbTestProject {
  extends: true;
  test: { name: 'sqlite' | 'postgres'; env: { TEST_DB: 'sqlite' | 'pg' }; exclude?: string[] };
}

/**
 * The vitest `projects` that run a package's suites once per database: always SQLite, and PostgreSQL too
 * when TEST_DATABASE_URL is set. `createTestDb()` reads TEST_DB to pick the dialect. Suites listed in
 * `sqliteOnly` (globs) run on SQLite only; those in `postgresOnly` on PostgreSQL only (several processes
 * sharing one server database).
 */
export function dbTestProjects(options?: { sqliteOnly?: string[]; postgresOnly?: string[] }): DbTestProject[];
