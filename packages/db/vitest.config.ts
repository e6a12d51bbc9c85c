import { defineConfig } from 'vitest/config';
import { dbTestProjects } from './src/vitest-projects.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The CLI only parses DATABASE_URL and calls Db methods the other suites cover: once is enough.
    projects: dbTestProjects({ sqliteOnly: ['src/cli.test.ts'] }),
  },
});
