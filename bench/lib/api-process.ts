/**
 * API processes for the compare benchmark, run as production runs them: the built bundle
 * (apps/api/dist/main.js, built once per bench run from the current source) under NODE_ENV=production.
 * Production neither migrates on start nor seeds a staff account, so the bench migrates each database
 * itself (migrateDatabase) and creates its users (bench-users.ts) before starting processes on it.
 * Also the PostgreSQL schema that several of them share.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@compareintel/api/internal/testing/api-process';
import { connectDb, schemaScopedUrl } from '@compareintel/db';
import { cpuMs, peakRssMb, rssMb } from './process-stats';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  pid: number;
  /** CPU time used so far (all threads), ms. */
  cpuMs(): number;
  rssMb(): number;
  /** Peak resident memory (VmHWM), from the kernel. */
  peakRssMb(): number;
  /** With `profile`: the .cpuprofile V8 wrote when the process exited (after stop()), else null. */
  profilePath(): string | null;
  stop(): Promise<void>;
}

const apiDir = path.resolve(import.meta.dirname, '../../apps/api');
const START_TIMEOUT_MS = 60_000;

/** `pnpm --filter @compareintel/api build` (esbuild, about a second): the bench measures the source as it is. */
export function buildApi(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: apiDir, stdio: 'inherit' });
}

/** What production runs before starting processes on a new database (`pnpm db:migrate`). */
export async function migrateDatabase(url: string): Promise<void> {
  const db = await connectDb(url);
  try {
    await db.migrateLatest();
  } finally {
    await db.destroy();
  }
}

/** The Node flags of `pnpm start` (apps/api's `start` script: `node <flags> dist/main.js`). */
function productionNodeFlags(): string[] {
  const manifest: unknown = JSON.parse(readFileSync(path.join(apiDir, 'package.json'), 'utf8'));
  const start = String(Reflect.get(Reflect.get(Object(manifest), 'scripts') ?? {}, 'start') ?? '');
  const flags = /^node (.*)dist\/main\.js$/.exec(start)?.[1]?.trim();
  if (flags === undefined) throw new Error(`apps/api's start script is not "node … dist/main.js": ${start}`);
  return flags ? flags.split(/\s+/) : [];
}

/**
 * Start one API process (`node <start flags> dist/main.js`, NODE_ENV=production) on a migrated database and wait for
 * its banner. `profile`: run it under `--cpu-prof`, the profile written to a fresh directory on exit.
 */
export async function startApiProcess(
  env: Record<string, string>,
  options: { profile?: boolean } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const profileDir = options.profile ? mkdtempSync(path.join(tmpdir(), 'bench-cpuprof-')) : null;
  const flags = [
    ...productionNodeFlags(),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ];
  const child = spawn(process.execPath, [...flags, 'dist/main.js'], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let banner = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`API was not ready within ${START_TIMEOUT_MS / 1000} s:\n${banner}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (!banner.includes('listening on')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`API exited with ${code} before it was ready:\n${banner}`)),
    );
  });
  // Later output (warnings, errors) still reaches the terminal.
  child.stdout?.on('data', (chunk: Buffer) => {
    if (banner.includes('listening on')) process.stdout.write(chunk);
  });
  const pid = child.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    pid,
    cpuMs: () => cpuMs(pid),
    rssMb: () => rssMb(pid),
    peakRssMb: () => peakRssMb(pid),
    profilePath() {
      const file = profileDir && readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
      return profileDir && file ? path.join(profileDir, file) : null;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A fresh schema in a PostgreSQL database (as createTestDb makes one for PG tests), migrated, for API
 * processes to share: its URL carries `search_path`, and `drop()` removes it with everything in it.
 */
export async function createBenchSchema(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = await connectDb(baseUrl);
  await admin.knex.raw('create schema ??', [schema]);
  const url = schemaScopedUrl(baseUrl, schema);
  await migrateDatabase(url);
  return {
    url,
    async drop() {
      try {
        await admin.knex.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await admin.destroy();
      }
    },
  };
}
