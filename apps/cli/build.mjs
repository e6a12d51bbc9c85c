// Bundle the CLI into one file that runs on Node ≥ 20 with nothing else installed: @trpc/client and
// eventsource are inlined; the API is only a type (`import type { AppRouter }`), so none of it ships.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// Paths from this file, so the root's `pnpm cli` can run it from anywhere.
const here = import.meta.dirname;
const outfile = process.env.CLI_OUTFILE ?? path.join(here, 'dist/compareintel.js');

await build({
  entryPoints: [path.join(here, 'src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(outfile, 0o755);
