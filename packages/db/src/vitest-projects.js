// Plain JavaScript on purpose: vitest.config.ts files import this, and vite's config loader hands
// workspace packages to Node untranspiled, which cannot load .ts on Node 20. Types: vitest-projects.d.ts.

/**
 * The vitest `projects` that run a package's suites once per database: always SQLite, and PostgreSQL too
 * when TEST_DATABASE_URL is set. `createTestDb()` reads TEST_DB to pick the dialect.
 *
 * Suites that do not depend on the database dialect can be listed in `sqliteOnly` (globs): they run once.
 * Suites about several processes on one server database are listed in `postgresOnly`.
 *
 * @param {{ sqliteOnly?: string[]; postgresOnly?: string[] }} [options]
 * @returns {import('./vitest-projects').DbTestProject[]}
 */
export function dbTestProjects(options = {}) {
  const projects = [
    {
      extends: true,
      test: {
        name: 'sqlite',
        env: { TEST_DB: 'sqlite' },
        exclude: ['**/node_modules/**', ...(options.postgresOnly ?? [])],
      },
    },
  ];
  if (process.env.TEST_DATABASE_URL) {
    projects.push({
      extends: true,
      test: {
        name: 'postgres',
        env: { TEST_DB: 'pg' },
        exclude: ['**/node_modules/**', ...(options.sqliteOnly ?? [])],
      },
    });
  }
  return projects;
}
