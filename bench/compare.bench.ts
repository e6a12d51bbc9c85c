/**
 * pnpm bench:compare — what the API adds on top of the upstream.
 *
 * A fake OpenAI-compatible server on 127.0.0.1 (its own process, so its pacing is not disturbed) answers
 * with a fixed time to first token and token rate. The same runs are measured from this process (the API
 * runs in others): straight to the fake server with the OpenAI SDK (the baseline), and through the real
 * API over HTTP (compare.start, then compare.events over SSE: admission, credit hold, streaming,
 * settlement). Printed: p50/p99 time to first token and what the API adds, total time ÷ slowest model's
 * time, runs/s, errors and peak RSS. Figures, not assertions.
 *
 * 1. One API process on SQLite, every model count × BENCH_CONCURRENCY (default 1,50,500).
 * 2. Several processes: two API processes sharing one PostgreSQL schema (fresh, dropped at the end) and
 *    one Redis (run events and rate limits under a prefix unique to this bench run), behind the
 *    round-robin proxy of round-robin-proxy.ts, so a run's start and its events usually reach different
 *    processes (the table counts how many did). Beside them: one of those processes without the proxy
 *    (what PostgreSQL + Redis cost, and so what the proxy itself costs) and the SQLite figures of part 1.
 *    Only 1 and 4 models at concurrency 1 and 50: the machine has 2 cores for the bench, the fake
 *    upstream, the proxy, two APIs, PostgreSQL and Redis, and larger cells mostly measure that.
 *    Every run is the staff account's: at concurrency 50 the admissions (compare.start) queue on that one
 *    user's row (its credit counter is locked per admission, on PostgreSQL across processes too), which
 *    the "compare.start answered after" table shows; many users at once would not queue so.
 * 3. One run with a 100,000-character prompt (the longest allowed) through the proxy.
 * BENCH_DATABASE_URL and BENCH_REDIS_URL override postgres://postgres@127.0.0.1:5432/test and
 * redis://127.0.0.1:6379.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppRouter } from '@compareintel/api';
import { loadModelRegistry } from '@compareintel/api/internal/models/registry';
import { createOpenAiCompatibleProvider } from '@compareintel/api/internal/providers/llm/openai-compatible';
import { createTRPCClient, httpLink } from '@trpc/client';
import { type ApiProcess, createBenchSchema, startApiProcess } from './lib/api-process';
import { type ApiTarget, apiRun, directRun, type Measurement, measure, percentile } from './lib/compare-run';

const TTFT_MS = 100;
const TOKEN_DELAY_MS = 10; // 100 tokens/s
const PIECES = 30;
const SLOW_PIECES = 45; // one model in each run is 50 % longer: "the slowest model"
const MODEL_COUNTS = [1, 4, 12];
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,50,500').split(',').map(Number);
const PROCS_MODEL_COUNTS = [1, 4];
const PROCS_CONCURRENCY = [1, 50];
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LONG_PROMPT_CHARS = 100_000;

const registry = loadModelRegistry().all();
const modelIds = registry.slice(0, 12).map((m) => m.id);
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

/** Every process this bench started: stopped at the end, and killed if the bench ends early. */
const running: Array<{ stop(): unknown }> = [];
process.once('exit', () => {
  for (const service of running) service.stop();
});

/** A helper process of this bench (tsx on a file here) that prints its base URL as its first line. */
async function spawnService(file: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: import.meta.dirname,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = await once(child.stdout, 'data');
  const service = { url: String(firstLine).trim(), stop: () => child.kill('SIGTERM') };
  running.push(service);
  return service;
}

async function signIn(api: ApiProcess): Promise<ApiTarget> {
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${api.url}/trpc` })] });
  const { token } = await client.auth.createToken.mutate({
    email: api.staff?.email ?? '',
    password: api.staff?.password ?? '',
  });
  return { url: api.url, token };
}

const upstream = await spawnService('fake-upstream.ts', { FAKE_BEHAVIORS: JSON.stringify(behaviors) });
const direct = createOpenAiCompatibleProvider({ name: 'direct', baseUrl: upstream.url, apiKey: 'bench' });
const upstreamEnv = { OPENROUTER_API_KEY: 'bench', OPENROUTER_BASE_URL: upstream.url };
let runNumber = 0;
const viaApi = (target: ApiTarget, models: string[]) => () => apiRun(target, models, `bench ${runNumber++}`);
const viaDirect = (models: string[]) => () => directRun(direct, models);

// 1. The API in its own process, as in production: a fresh SQLite file, the seeded staff account (pro_plus).
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
const sqliteApi = await startApiProcess(
  { ...upstreamEnv, DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.db')}` },
  { expectStaff: true },
);
running.push(sqliteApi);
const sqlite = await signIn(sqliteApi);

const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const pair = (values: number[]) => `${f(percentile(values, 50))} / ${f(percentile(values, 99))} ms`;
const added = (api: Measurement, base: Measurement) =>
  `${f(percentile(api.ttft, 50) - percentile(base.ttft, 50))} / ${f(percentile(api.ttft, 99) - percentile(base.ttft, 99))} ms`;
/** One table line: each cell padded to its column's width (the first two right-aligned numbers). */
const row = (widths: number[], cells: string[]) =>
  cells
    .map((text, i) => (i < 2 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
    .join(' | ')
    .trimEnd();
const errorsSeen: string[] = [];
function noteErrors(setup: string, measurement: Measurement): void {
  for (const sample of measurement.errorSamples) errorsSeen.push(`  ${setup}: ${sample}`);
}

console.log(
  `fake upstream: TTFT ${TTFT_MS} ms, ${1000 / TOKEN_DELAY_MS} tokens/s, ${PIECES} tokens (slowest model ${SLOW_PIECES})\n`,
);
// Warm up both paths (JIT, tokenizer tables, connection pools) before measuring.
await measure(4, viaDirect(modelIds.slice(0, 4)));
await measure(4, viaApi(sqlite, modelIds.slice(0, 4)));
const oneWidths = [6, 4, 19, 19, 19, 15, 6, 0];
console.log('One API process, SQLite');
console.log(
  row(oneWidths, [
    'models',
    'conc',
    'direct TTFT p50/p99',
    'API TTFT p50/p99',
    'added p50/p99',
    'total ÷ slowest',
    'runs/s',
    'errors',
  ]),
);
const oneProcess = new Map<string, { direct: Measurement; api: Measurement }>();
async function measureOneProcess(count: number, concurrency: number) {
  const models = modelIds.slice(0, count);
  const result = {
    direct: await measure(concurrency, viaDirect(models)),
    api: await measure(concurrency, viaApi(sqlite, models)),
  };
  noteErrors(`SQLite, ${count} models × ${concurrency}`, result.api);
  oneProcess.set(`${count}×${concurrency}`, result);
  return result;
}
for (const count of MODEL_COUNTS) {
  for (const concurrency of CONCURRENCY) {
    const { direct, api } = await measureOneProcess(count, concurrency);
    const ratio = percentile(api.totals, 50) / percentile(direct.totals, 50);
    console.log(
      row(oneWidths, [
        String(count),
        String(concurrency),
        pair(direct.ttft),
        pair(api.ttft),
        added(api, direct),
        `${ratio.toFixed(3)} (p50)`,
        api.runsPerSecond.toFixed(1),
        `${api.errors} (direct ${direct.errors})`,
      ]),
    );
  }
}
// The SQLite figures that part 2 compares with, when BENCH_CONCURRENCY left them out.
for (const count of PROCS_MODEL_COUNTS) {
  for (const concurrency of PROCS_CONCURRENCY) {
    if (!oneProcess.has(`${count}×${concurrency}`)) await measureOneProcess(count, concurrency);
  }
}
console.log(`\npeak RSS of the API process: ${sqliteApi.peakRssMb().toFixed(0)} MB`);
await sqliteApi.stop();
rmSync(dataDir, { recursive: true, force: true });

// 2. Two API processes on one PostgreSQL schema and one Redis, behind the round-robin proxy.
const schema = await createBenchSchema(DATABASE_URL);
const prefix = `bench:${randomBytes(4).toString('hex')}`;
const sharedEnv = {
  ...upstreamEnv,
  DATABASE_URL: schema.url,
  REDIS_URL,
  RUN_EVENTS_PREFIX: `${prefix}:run`,
  RATE_LIMIT_PREFIX: `${prefix}:rl`,
  // Finished runs' logs need not outlive the bench in Redis.
  RUN_EVENTS_RETAIN_MS: '60000',
};
try {
  // One after the other: the first migrates the fresh schema and seeds the staff account.
  const apiA = await startApiProcess(sharedEnv, { expectStaff: true });
  running.push(apiA);
  const apiB = await startApiProcess(sharedEnv, { expectStaff: false });
  running.push(apiB);
  const proxy = await spawnService('round-robin-proxy.ts', { PROXY_BACKENDS: `${apiA.url},${apiB.url}` });
  const onePg = await signIn(apiA);
  const twoProcs: ApiTarget = { url: proxy.url, token: onePg.token };

  await measure(4, viaApi(onePg, modelIds.slice(0, 4)));
  await measure(4, viaApi(twoProcs, modelIds.slice(0, 4)));
  const setups = ['1 proc, SQLite', '1 proc, PG+Redis', '2 procs + proxy, PG+Redis'];
  const procsWidths = [6, 4, 19, 27, 27, 27, 11, 0];
  const starts: string[][] = [];
  console.log('\nSeveral processes: TTFT added to direct (p50 / p99), runs/s');
  console.log(
    row(procsWidths, [
      'models',
      'conc',
      'direct TTFT p50/p99',
      ...setups,
      'errors',
      'start/events on 2 procs',
    ]),
  );
  for (const count of PROCS_MODEL_COUNTS) {
    for (const concurrency of PROCS_CONCURRENCY) {
      const models = modelIds.slice(0, count);
      const one = oneProcess.get(`${count}×${concurrency}`);
      if (!one) continue;
      const pg = await measure(concurrency, viaApi(onePg, models));
      const two = await measure(concurrency, viaApi(twoProcs, models));
      noteErrors(`1 proc PG+Redis, ${count} models × ${concurrency}`, pg);
      noteErrors(`2 procs + proxy, ${count} models × ${concurrency}`, two);
      const figures = (m: Measurement) => `${added(m, one.direct)}, ${m.runsPerSecond.toFixed(1)}/s`;
      const measured = [one.api, pg, two];
      console.log(
        row(procsWidths, [
          String(count),
          String(concurrency),
          pair(one.direct.ttft),
          ...measured.map(figures),
          measured.map((m) => m.errors).join(' / '),
          `${two.crossed} of ${two.runs} runs`,
        ]),
      );
      starts.push([String(count), String(concurrency), '', ...measured.map((m) => pair(m.startMs))]);
    }
  }
  console.log('\ncompare.start answered after (p50 / p99), a part of the TTFT above');
  console.log(row(procsWidths, ['models', 'conc', '', ...setups]));
  for (const cells of starts) console.log(row(procsWidths, cells));

  // 3. The longest prompt allowed, through the proxy, to a model whose context holds it (a token is at
  // least a character, so a context of as many tokens as there are characters surely does).
  const longModel = registry.find(
    (m) => modelIds.includes(m.id) && (m.contextLength ?? 0) >= LONG_PROMPT_CHARS,
  );
  const sentence = 'The quick brown fox jumps over the lazy dog, then checks the weather report. ';
  const longPrompt = sentence
    .repeat(Math.ceil(LONG_PROMPT_CHARS / sentence.length))
    .slice(0, LONG_PROMPT_CHARS);
  const long = longModel
    ? await apiRun(twoProcs, [longModel.id], longPrompt)
    : { ok: false, totalMs: 0, crossed: null, error: 'no benchmarked model has a 100,000-token context' };
  const across = long.crossed ? ', start and events on different processes' : '';
  console.log(
    long.ok
      ? `\n100,000-character prompt through the proxy: ok (${long.totalMs.toFixed(0)} ms, ${longModel?.id}${across})`
      : `\n100,000-character prompt through the proxy: FAILED (${long.error})`,
  );
  console.log(
    `peak RSS of the PG+Redis API processes: ${apiA.peakRssMb().toFixed(0)} MB, ${apiB.peakRssMb().toFixed(0)} MB`,
  );
  if (errorsSeen.length > 0) console.log(`\nerrors seen:\n${errorsSeen.join('\n')}`);
} finally {
  for (const service of running.reverse()) await service.stop();
  await schema.drop();
}
