// Local profiling helper (not committed).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModelRegistry } from '@compareintel/api/internal/models/registry';
import { apiRun, measure } from './lib/compare-run';

const models = loadModelRegistry().all().slice(0, 3).map((m) => m.id);
const behaviors = Object.fromEntries(models.map((id) => [id, { text: 'tok '.repeat(30).trim(), ttftMs: 100, tokenDelayMs: 10, costUsd: 0.0001 }]));
const upstream = spawn(process.execPath, ['--import', 'tsx', 'fake-upstream.ts'], { env: { ...process.env, FAKE_BEHAVIORS: JSON.stringify(behaviors) }, stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(upstream.stdout, 'data')) as [Buffer];
const baseUrl = line.toString().trim();
const dir = mkdtempSync(path.join(tmpdir(), 'prof-'));
const port = 3950;
const profDir = '/tmp/prof/out';
rmSync(profDir, { recursive: true, force: true });
const profile = process.env.PROFILE === '1';
const api = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), 'dist/main.js'], {
  cwd: path.resolve(import.meta.dirname, '../apps/api'),
  env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: process.env.DB ?? `sqlite:${dir}/x.db`, OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: baseUrl, JOBS_ENABLED: 'false' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
await new Promise<void>((resolve) => api.stdout.on('data', (c: Buffer) => { out += c.toString(); if (/password: (\S+)/.test(out)) resolve(); }));
const email = /email: (\S+)/.exec(out)?.[1] ?? '';
const password = /password: (\S+)/.exec(out)?.[1] ?? '';
const url = `http://127.0.0.1:${port}`;
const tokenRes = await fetch(`${url}/trpc/auth.createToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
const token = ((await tokenRes.json()) as { result: { data: { token: string } } }).result.data.token;
const cpu = () => { const f = readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []; return (Number(f[11]) + Number(f[12])) * 10; };
await measure(10, () => apiRun({ url, token }, models, 'warm'));
const conc = Number(process.env.CONC ?? 50);
const before = cpu();
let runs = 0; let errors = 0; const ttft: number[] = [];
for (let round = 0; round < Number(process.env.ROUNDS ?? 4); round++) {
  const m = await measure(conc, () => apiRun({ url, token }, models, `p ${round}`));
  runs += m.runs ?? conc; errors += m.errors; ttft.push(...m.ttft);
}
const used = cpu() - before;
ttft.sort((a, b) => a - b);
console.log(`runs ${runs} errors ${errors} cpu ${used} ms → ${(used / runs).toFixed(2)} ms/run; ttft p50 ${ttft[Math.floor(ttft.length / 2)]?.toFixed(1)} p99 ${ttft[Math.floor(ttft.length * 0.99)]?.toFixed(1)}`);
api.kill('SIGINT'); await once(api, 'exit'); upstream.kill();
if (profile) {
  const file = readdirSync(profDir)[0] ?? '';
  const prof = JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] };
  const self = new Map<number, number>();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of prof.nodes) { const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`; byFn.set(k, (byFn.get(k) ?? 0) + (self.get(n.id) ?? 0)); }
  const total = [...byFn.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((v / total) * 100).toFixed(1)}%  ${k}`);
}
rmSync(dir, { recursive: true, force: true });
process.exit(0);
