/**
 * API processes for the compare benchmark, started the way the bench always did (tsx on src/main.ts, in
 * development, so the database is migrated on start and the staff account seeded), and the PostgreSQL
 * schema that several of them share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { connectDb } from '@compareintel/db';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** The seeded staff account (pro_plus), printed only by the process that created it. */
  staff: { email: string; password: string } | null;
  /** Peak resident memory (VmHWM), from the kernel. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

const apiDir = path.resolve(import.meta.dirname, '../../apps/api');
const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Start one API process and wait for its banner. `expectStaff`: wait for the staff line too (the first
 * process on a fresh database prints it; later ones find the account and print nothing).
 */
export async function startApiProcess(
  env: Record<string, string>,
  options: { expectStaff: boolean },
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let banner = '';
  const ready = options.expectStaff ? /password: \S+\s/ : /listening on/;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`API was not ready within ${START_TIMEOUT_MS / 1000} s:\n${banner}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (!ready.test(banner)) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`API exited with ${code} before it was ready:\n${banner}`)),
    );
  });
  const staff = /email: (\S+) {2}password: (\S+)/.exec(banner);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    staff: staff?.[1] && staff[2] ? { email: staff[1], password: staff[2] } : null,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A fresh schema in a PostgreSQL database (as createTestDb makes one for PG tests), for API processes to
 * share: its URL carries `search_path`, and `drop()` removes it with everything the API created.
 */
export async function createBenchSchema(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = await connectDb(baseUrl);
  await admin.knex.raw('create schema ??', [schema]);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.knex.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await admin.destroy();
      }
    },
  };
}
