import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** vitest globalSetup: bundle src/ into dist/compareintel.js, the file the suites run. */
export default function buildBinary(): void {
  execFileSync(process.execPath, ['build.mjs'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
}
