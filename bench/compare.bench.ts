/**
 * pnpm bench:compare — what the API adds on top of the upstream.
 *
 * A fake OpenAI-compatible server on 127.0.0.1 (its own process, so its pacing is not disturbed) answers
 * with a fixed time to first token and token rate. The same runs are measured twice from this process
 (the API runs in a third): straight to the fake server with the OpenAI SDK
 * (the baseline), and through the real API over HTTP/SSE (admission, credit hold, streaming, settlement
 * in SQLite). Printed: p50/p99 time to first token and what the API adds, total time ÷ slowest model's
 * time, runs/s, errors and peak RSS. Figures, not assertions.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppRouter } from '@compareintel/api';
import { loadModelRegistry } from '@compareintel/api/internal/models/registry';
import { createOpenAiCompatibleProvider } from '@compareintel/api/internal/providers/llm/openai-compatible';
import { createTRPCClient, httpLink } from '@trpc/client';

const TTFT_MS = 100;
const TOKEN_DELAY_MS = 10; // 100 tokens/s
const PIECES = 30;
const SLOW_PIECES = 45; // one model in each run is 50 % longer: "the slowest model"
const MODEL_COUNTS = [1, 4, 12];
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,50,500').split(',').map(Number);

const modelIds = loadModelRegistry()
  .all()
  .slice(0, 12)
  .map((m) => m.id);
const text = (pieces: number) => 'tok '.repeat(pieces).trim();
const behaviors = Object.fromEntries(
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
const upstream = spawn(process.execPath, ['--import', 'tsx', 'fake-upstream.ts'], {
  env: { ...process.env, FAKE_BEHAVIORS: JSON.stringify(behaviors) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [firstLine] = (await once(upstream.stdout, 'data')) as [Buffer];
const fake = { baseUrl: firstLine.toString().trim() };

// The API in its own process, as in production: a fresh SQLite file, the seeded staff account (pro_plus).
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
const apiPort = 3900 + Math.floor(Math.random() * 90);
const api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: path.resolve(import.meta.dirname, '../apps/api'),
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: String(apiPort),
    DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.db')}`,
    OPENROUTER_API_KEY: 'bench',
    OPENROUTER_BASE_URL: fake.baseUrl,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let banner = '';
while (!/password: \S+/.test(banner)) {
  const [chunk] = (await once(api.stdout, 'data')) as [Buffer];
  banner += chunk.toString();
}
const apiUrl = `http://127.0.0.1:${apiPort}`;
const staff = /email: (\S+) {2}password: (\S+)/.exec(banner);
const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${apiUrl}/trpc` })] });
const { token } = await client.auth.createToken.mutate({
  email: staff?.[1] ?? '',
  password: staff?.[2] ?? '',
});

/** Peak resident memory of the API process (VmHWM), from the kernel. */
function apiPeakRssMb(): number {
  const status = readFileSync(`/proc/${api.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

interface RunTiming {
  ttftMs: number[];
  totalMs: number;
  ok: boolean;
}

/** Baseline: each model streamed straight from the fake server with the OpenAI SDK. */
const direct = createOpenAiCompatibleProvider({ name: 'direct', baseUrl: fake.baseUrl, apiKey: 'bench' });

async function directRun(models: string[]): Promise<RunTiming> {
  const provider = direct;
  const started = performance.now();
  const ttftMs: number[] = [];
  await Promise.all(
    models.map(async (model) => {
      let first = true;
      const signal = new AbortController().signal;
      for await (const chunk of provider.stream({
        model,
        messages: [{ role: 'user', content: 'bench' }],
        signal,
      })) {
        if (chunk.type === 'text' && first) {
          first = false;
          ttftMs.push(performance.now() - started);
        }
      }
    }),
  );
  return { ttftMs, totalMs: performance.now() - started, ok: ttftMs.length === models.length };
}

/** Through the API: compare.run over SSE, parsed from the wire like any client would. */
async function apiRun(models: string[], n: number): Promise<RunTiming> {
  const input = encodeURIComponent(JSON.stringify({ models, prompt: `bench ${n}` }));
  const started = performance.now();
  const ttftMs: number[] = [];
  const seen = new Set<string>();
  let ok = false;
  const response = await fetch(`${apiUrl}/trpc/compare.run?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  const decoder = new TextDecoder();
  let buffer = '';
  if (!response.body) return { ttftMs, totalMs: 0, ok: false };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const data = frame
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice(6);
      if (!data?.startsWith('{')) continue;
      const event: unknown = JSON.parse(data);
      if (typeof event !== 'object' || event === null || !('type' in event)) continue;
      if (event.type === 'delta' && 'modelId' in event && typeof event.modelId === 'string') {
        if (!seen.has(event.modelId)) {
          seen.add(event.modelId);
          ttftMs.push(performance.now() - started);
        }
      }
      if (event.type === 'done') ok = true;
    }
    if (ok) break;
  }
  await response.body.cancel().catch(() => undefined);
  return { ttftMs, totalMs: performance.now() - started, ok };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(kind: 'direct' | 'api', models: string[], concurrency: number) {
  // Enough runs for a percentile at low concurrency: 20 sequential runs at 1, one wave at 500.
  const rounds = Math.max(1, Math.ceil(20 / concurrency));
  const runs: RunTiming[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    runs.push(
      ...(await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          (kind === 'direct' ? directRun(models) : apiRun(models, i)).catch(
            (): RunTiming => ({ ttftMs: [], totalMs: 0, ok: false }),
          ),
        ),
      )),
    );
  }
  const wallMs = performance.now() - started;
  const ok = runs.filter((r) => r.ok);
  return {
    ttft: ok.flatMap((r) => r.ttftMs),
    totals: ok.map((r) => r.totalMs),
    errors: runs.length - ok.length,
    runsPerSecond: (ok.length / wallMs) * 1000,
  };
}

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
console.log(
  `fake upstream: TTFT ${TTFT_MS} ms, ${1000 / TOKEN_DELAY_MS} tokens/s, ${PIECES} tokens (slowest model ${SLOW_PIECES})\n`,
);
// Warm up both paths (JIT, tokenizer tables, connection pools) before measuring.
await measure('direct', modelIds.slice(0, 4), 4);
await measure('api', modelIds.slice(0, 4), 4);
console.log(
  'models  conc  | direct TTFT p50/p99 | API TTFT p50/p99 | added p50/p99 | total ÷ slowest (p50) | runs/s | errors',
);
for (const count of MODEL_COUNTS) {
  const models = modelIds.slice(0, count);
  for (const concurrency of CONCURRENCY) {
    const direct = await measure('direct', models, concurrency);
    const api = await measure('api', models, concurrency);
    const slowest = percentile(direct.totals, 50);
    const ratio = percentile(api.totals, 50) / slowest;
    console.log(
      `${String(count).padStart(6)} ${String(concurrency).padStart(5)}  | ${f(percentile(direct.ttft, 50))} / ${f(percentile(direct.ttft, 99))} ms`.padEnd(
        37,
      ) +
        `| ${f(percentile(api.ttft, 50))} / ${f(percentile(api.ttft, 99))} ms`.padEnd(19) +
        `| ${f(percentile(api.ttft, 50) - percentile(direct.ttft, 50))} / ${f(percentile(api.ttft, 99) - percentile(direct.ttft, 99))} ms`.padEnd(
          16,
        ) +
        `| ${ratio.toFixed(3)}`.padEnd(24) +
        `| ${api.runsPerSecond.toFixed(1)}`.padEnd(9) +
        `| ${api.errors} (direct ${direct.errors})`,
    );
  }
}
console.log(`\npeak RSS of the API process: ${apiPeakRssMb().toFixed(0)} MB`);
api.kill('SIGTERM');
upstream.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
