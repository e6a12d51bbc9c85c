// @ts-check
// `pnpm test:mutation`: StrykerJS over the money paths (credits, admission, settlement). Not part of CI.
// Runs from the repo root and mutates in place: the sandbox copy would lose pnpm's per-package
// node_modules links, and apps/api imports packages/db and packages/shared through them.
const MUTATE = [
  'apps/api/src/compare/settle-comparison.ts',
  'apps/api/src/compare/start-comparison.ts',
  'apps/api/src/compare/assess-comparison.ts',
  'apps/api/src/credits/credit-pool.ts',
  'apps/api/src/compare/run-registry.ts',
  'apps/api/src/compare/web-tools.ts',
  'packages/db/src/credit-holds.ts',
  'packages/db/src/credit-counters.ts',
  'packages/shared/src/credits.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  inPlace: true,
  mutate: MUTATE,
  // No `// @ts-nocheck` stamped on every file in the repo: vitest does not type-check anyway, and an
  // interrupted run leaves only the mutated files to restore (from .stryker-tmp/backup-*).
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Mutants that make a stream hang are cut off quickly; the models' own timeout in the suites is 5 s.
  timeoutMS: 5_000,
  // Module-level mutants would rerun every suite for one constant; they are reported as ignored.
  ignoreStatic: true,
  // Re-runs only retest mutants whose code or covering tests changed (the file is git-ignored).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 80, low: 60, break: null },
};
