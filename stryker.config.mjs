// @ts-nocheck
// 
// `pnpm test:mutation`: StrykerJS over the money paths (credits, admission, settlement). Not part of CI.
// Runs from the repo root and mutates in place: the sandbox copy would lose pnpm's per-package
// node_modules links, and apps/api imports packages/db and packages/shared through them.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  inPlace: true,
  mutate: [
    'apps/api/src/compare/settle-comparison.ts',
    'apps/api/src/compare/start-comparison.ts',
    'apps/api/src/compare/assess-comparison.ts',
    'apps/api/src/credits/credit-pool.ts',
    'apps/api/src/compare/run-registry.ts',
    'packages/db/src/credit-holds.ts',
    'packages/db/src/credit-counters.ts',
    'packages/shared/src/credits.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 15_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 80, low: 60, break: null },
};
