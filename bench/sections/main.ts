/**
 * Main table: each model count × concurrency, straight to the fake upstream (the baseline), through the
 * bare pass-through proxy (the floor), and through one API process on SQLite and one on PostgreSQL
 * (a fresh schema, the API's own pool), measured one after the other in the same cell. CPU per
 * comparison is each process's CPU time over the cell ÷ its runs; "× floor" divides the API's by the
 * proxy's. Concurrent runs are different users' (one per slot), so admissions do not queue on one row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOpenAiCompatibleProvider } from '@compareintel/api/internal/providers/llm/openai-compatible';
import { connectDb } from '@compareintel/db';
import { type ApiProcess, createBenchSchema, migrateDatabase, startApiProcess } from '../lib/api-process';
import { createBenchUsers } from '../lib/bench-users';
import { apiRun, directRun, type Measurement, measure, percentile } from '../lib/compare-run';
import {
  CONCURRENCY,
  DATABASE_URL,
  ErrorLog,
  MODEL_COUNTS,
  modelIds,
  PROFILE,
  printProfiles,
  type Service,
  spawnService,
  track,
  withCpu,
} from '../lib/services';
import { added, f, pair, Table } from '../lib/table';

/** The API's idle CPU (timers, job checks) over this long, printed so small cells can be judged. */
const IDLE_MS = 2000;
/** Concurrent runs per warm-up round (measure() repeats them to at least 20). */
const WARM_RUNS = 20;

export async function mainSection(upstream: Service, options: { api: boolean }): Promise<void> {
  const errors = new ErrorLog();
  const users = Math.max(...CONCURRENCY);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
  const apis: Array<{ label: string; api: ApiProcess; tokens: string[] }> = [];
  const schema = options.api ? await createBenchSchema(DATABASE_URL) : null;
  try {
    const env = { OPENROUTER_API_KEY: 'bench', OPENROUTER_BASE_URL: upstream.url };
    if (options.api && schema) {
      for (const [label, url] of [
        ['SQLite', `sqlite:${path.join(dataDir, 'bench.db')}`],
        ['PG', schema.url],
      ] as const) {
        await migrateDatabase(url);
        const db = await connectDb(url);
        const tokens = (await createBenchUsers(db, users)).map((user) => user.token);
        await db.destroy();
        const api = track(await startApiProcess({ ...env, DATABASE_URL: url }, { profile: PROFILE }));
        apis.push({ label, api, tokens });
      }
    }
    const floor = await spawnService('passthrough-proxy.ts', {
      PROXY_UPSTREAM: new URL(upstream.url).origin,
    });
    const direct = createOpenAiCompatibleProvider({ name: 'direct', baseUrl: upstream.url, apiKey: 'bench' });
    const viaFloor = createOpenAiCompatibleProvider({
      name: 'floor',
      baseUrl: `${floor.url}${new URL(upstream.url).pathname}`,
      apiKey: 'bench',
    });
    let runNumber = 0;
    const viaApi =
      ({ api, tokens }: (typeof apis)[number], models: string[]) =>
      (slot: number) =>
        apiRun({ url: api.url, token: tokens[slot] ?? '' }, models, `bench ${runNumber++}`);

    // Warm up every path before measuring: connection pools, and enough runs that V8 has optimised the
    // hot code (its compiler threads count in a process's CPU time; a few runs left them busy in the
    // first measured cell).
    const warm = modelIds.slice(0, 3);
    await measure(WARM_RUNS, () => directRun(direct, warm));
    await measure(WARM_RUNS, () => directRun(viaFloor, warm));
    for (const target of apis)
      for (let round = 0; round < 3; round++) await measure(WARM_RUNS, viaApi(target, warm));
    const idle = apis.map(({ label, api }) => ({ label, api, before: api.cpuMs() }));
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idleLine = idle
      .map(({ label, api, before }) => `${label} ${f(((api.cpuMs() - before) / IDLE_MS) * 1000)} ms/s`)
      .join(', ');

    const table = new Table(
      'Main: per comparison, through the floor (bare proxy) and the API, beside direct',
      [
        'models',
        'conc',
        'path',
        'direct TTFT p50/p99 ms',
        'TTFT p50/p99 ms',
        'added p50/p99 ms',
        'total ÷ slowest p50',
        'runs/s',
        'errors',
        'CPU ms/cmp',
        '× floor',
      ],
      [0, 0, 6],
    );
    for (const count of MODEL_COUNTS) {
      const models = modelIds.slice(0, count);
      for (const concurrency of CONCURRENCY) {
        const base = await measure(concurrency, () => directRun(direct, models));
        const floorM = await withCpu([floor.pid], () =>
          measure(concurrency, () => directRun(viaFloor, models)),
        );
        const cells = (label: string, m: Measurement & { cpuMsPerRun: number }, ratio: string) => [
          String(count),
          String(concurrency),
          label,
          pair(base.ttft),
          pair(m.ttft),
          added(m, base),
          f(percentile(m.totals, 50) / percentile(base.totals, 50), 3),
          f(m.runsPerSecond),
          `${m.errors} (direct ${base.errors})`,
          f(m.cpuMsPerRun, 2),
          ratio,
        ];
        errors.note(`floor, ${count} models × ${concurrency}`, floorM);
        table.row(cells('floor', floorM, '1'));
        for (const target of apis) {
          const m = await withCpu([target.api.pid], () => measure(concurrency, viaApi(target, models)));
          errors.note(`${target.label}, ${count} models × ${concurrency}`, m);
          table.row(cells(target.label, m, f(m.cpuMsPerRun / floorM.cpuMsPerRun, 1)));
        }
      }
    }
    if (apis.length > 0) {
      console.log(`idle API CPU (not subtracted): ${idleLine}`);
      console.log(
        `peak RSS: ${apis.map(({ label, api }) => `${label} ${api.peakRssMb().toFixed(0)} MB`).join(', ')}`,
      );
    }
    errors.print();
    for (const { api } of apis) await api.stop();
    await floor.stop();
    printProfiles(apis.map(({ label, api }) => [`the main section's ${label} API`, api]));
  } finally {
    for (const { api } of apis) await api.stop();
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
