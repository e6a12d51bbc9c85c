import { dbTestProjects } from '@compareintel/db/vitest-projects';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The suites run the built binary: build it once, fresh, before any of them.
    globalSetup: ['test/build-binary.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each suite spawns CLI processes against an API in its own process; two cores hold one at a time.
    fileParallelism: false,
    projects: dbTestProjects(),
  },
});
