/**
 * What every section of the compare bench shares: its helper processes (fake upstreams, proxies), the
 * models and their fake behaviours, the knobs read from the environment, and the error and profile
 * reports.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadModelRegistry } from '@compareintel/api/internal/models/registry';
import type { FakeBehavior } from '@compareintel/api/internal/testing/fake-openai-server';
import type { ApiProcess } from './api-process';
import type { Measurement } from './compare-run';
import { summarizeCpuProfile } from './cpu-profile';
import { cpuMs } from './process-stats';

export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PROFILE = process.env.BENCH_PROFILE === '1';
const numbers = (text: string) => text.split(',').map(Number).filter(Number.isFinite);
export const MODEL_COUNTS = numbers(process.env.BENCH_MODELS ?? '1,3,4,12');
export const CONCURRENCY = numbers(process.env.BENCH_CONCURRENCY ?? '1,50');

/** The main fake upstream: every model answers after TTFT_MS at 100 tokens/s; the first is 50 % longer. */
export const TTFT_MS = 100;
export const TOKEN_DELAY_MS = 10;
export const PIECES = 30;
export const SLOW_PIECES = 45;

export const registry = loadModelRegistry().all();
export const modelIds = registry.slice(0, 12).map((m) => m.id);
export const text = (pieces: number) => 'tok '.repeat(pieces).trim();
export const mainBehaviors: Record<string, FakeBehavior> = Object.fromEntries(
  modelIds.map((id, i) => [
    id,
    {
      text: text(i === 0 ? SLOW_PIECES : PIECES),
      ttftMs: TTFT_MS,
      tokenDelayMs: TOKEN_DELAY_MS,
      costUsd: 0.0001,
    },
  ]),
);

export interface Service {
  url: string;
  pid: number;
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Every process this bench started: stopped at the end, and killed if the bench ends early. */
const running: Array<{ stop(): unknown }> = [];
process.once('exit', () => {
  for (const service of running) service.stop();
});
export function track<T extends { stop(): unknown }>(service: T): T {
  running.push(service);
  return service;
}
export async function stopAll(): Promise<void> {
  for (const service of running.reverse()) await service.stop();
}

/** A helper process of this bench (tsx on a file in bench/) that prints its base URL as its first line. */
export async function spawnService(file: string, env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: `${import.meta.dirname}/..`,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = await once(child.stdout, 'data');
  const pid = child.pid ?? 0;
  return track({
    url: String(firstLine).trim(),
    pid,
    cpuMs: () => cpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  });
}

export function startFakeUpstream(behaviors: Record<string, FakeBehavior>): Promise<Service> {
  return spawnService('fake-upstream.ts', { FAKE_BEHAVIORS: JSON.stringify(behaviors) });
}

/** `run`'s measurement and the CPU time `pids` spent meanwhile, per run (ms). */
export async function withCpu(
  pids: number[],
  run: () => Promise<Measurement>,
): Promise<Measurement & { cpuMsPerRun: number }> {
  const before = pids.map(cpuMs);
  const measurement = await run();
  const spent = pids.reduce((sum, pid, i) => sum + cpuMs(pid) - (before[i] ?? 0), 0);
  return { ...measurement, cpuMsPerRun: spent / measurement.runs };
}

/** A few distinct failure reasons per setup, printed after a section's table. */
export class ErrorLog {
  private readonly seen: string[] = [];
  note(setup: string, measurement: Pick<Measurement, 'errorSamples'>): void {
    for (const sample of measurement.errorSamples) this.seen.push(`  ${setup}: ${sample}`);
  }
  print(): void {
    if (this.seen.length > 0) console.log(`errors seen:\n${this.seen.join('\n')}`);
  }
}

/** With BENCH_PROFILE=1, after the processes stopped: each one's .cpuprofile and its top self times. */
export function printProfiles(processes: Array<[string, ApiProcess]>): void {
  if (!PROFILE) return;
  for (const [label, api] of processes) {
    const file = api.profilePath();
    if (!file) {
      console.log(`\nCPU profile of ${label}: none written`);
      continue;
    }
    console.log(`\nCPU profile of ${label}: ${file}\ntop 25 by self time:`);
    for (const line of summarizeCpuProfile(file)) console.log(`  ${line}`);
  }
}
