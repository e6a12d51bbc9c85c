import { dbTestProjects } from '@compareintel/db/vitest-projects';
import { configDefaults, defineConfig } from 'vitest/config';

// Suites that need a real Redis (`*.redis.test.ts`) are part of the run only when TEST_REDIS_URL names one.
const redisSuites = process.env.TEST_REDIS_URL ? [] : ['src/**/*.redis.test.ts'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...redisSuites],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Start-up checks do not depend on the database dialect: once is enough.
    // Several API processes share one server database and one Redis.
    projects: dbTestProjects({
      sqliteOnly: ['src/main.test.ts'],
      postgresOnly: ['src/**/*.multi-process.redis.test.ts'],
    }),
  },
});
