import { configDefaults, defineConfig } from 'vitest/config';

// The vitest run StrykerJS uses for `pnpm test:mutation` (stryker.config.mjs): the suites that cover the
// credit, admission, settlement and web search modules, on SQLite only (TEST_DATABASE_URL is ignored here).
// crash-recovery.test.ts is left out: it spawns real API processes via tsx, which Stryker cannot
// instrument per mutant, and it would make every run of its tests take seconds.
const sqlite = { TEST_DB: 'sqlite' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'api',
          root: './apps/api',
          include: [
            'src/compare/compare-accounts.test.ts',
            'src/compare/compare-anonymous.test.ts',
            'src/compare/credit-meter.test.ts',
            'src/compare/settlement-records.test.ts',
            'src/compare/run-registry.test.ts',
            'src/compare/web-search.test.ts',
          ],
          exclude: configDefaults.exclude,
          env: sqlite,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'db',
          root: './packages/db',
          include: ['src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'src/cli.test.ts'],
          env: sqlite,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      { test: { name: 'shared', root: './packages/shared', include: ['src/credits.test.ts'] } },
    ],
  },
});
