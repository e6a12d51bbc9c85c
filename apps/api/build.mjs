// Bundle the API for production: our workspace packages (raw TypeScript) are inlined, every npm
// dependency stays external and is loaded from node_modules at run time (knex, better-sqlite3, pg …).
import { build } from 'esbuild';

const externalizeNpm = {
  name: 'externalize-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@compareintel/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: { main: 'src/main.ts', jobs: 'src/jobs/cli.ts' },
  outdir: process.env.BUILD_OUTDIR ?? 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  plugins: [externalizeNpm],
  logLevel: 'warning',
  // The built bundle is what production runs: it defaults to production (no dev outbox, no seeded
  // staff password, Secure cookies) unless NODE_ENV says otherwise.
  banner: { js: "if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';" },
});
