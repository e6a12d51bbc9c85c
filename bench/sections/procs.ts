/**
 * Several processes: two API processes sharing one PostgreSQL schema (fresh, dropped at the end) and one
 * Redis (run events and rate limits under a prefix unique to this bench run), behind the round-robin
 * proxy of round-robin-proxy.ts, so a run's start and its events usually reach different processes (the
 * last column counts how many did); beside them one of those processes without the proxy (what Redis
 * costs next to the main table's PG line, and so what the proxy and the second process cost). 3 models
 * at concurrency 1 and 50: the machine has 2 cores for the bench, the fake upstream, the proxy, two
 * APIs, PostgreSQL and Redis, and larger cells mostly measure that. CPU ms/cmp of the two processes is
 * their sum. Then one run with a 100,000-character prompt (the longest allowed) through the proxy.
 */
import { randomBytes } from 'node:crypto';
import { createOpenAiCompatibleProvider } from '@compareintel/api/internal/providers/llm/openai-compatible';
import { connectDb } from '@compareintel/db';
import { type ApiProcess, createBenchSchema, startApiProcess } from '../lib/api-process';
import { createBenchUsers } from '../lib/bench-users';
import { apiRun, directRun, measure } from '../lib/compare-run';
import {
  DATABASE_URL,
  ErrorLog,
  modelIds,
  PROFILE,
  printProfiles,
  REDIS_URL,
  registry,
  type Service,
  spawnService,
  track,
  withCpu,
} from '../lib/services';
import { added, f, pair, Table } from '../lib/table';

const MODELS = 3;
const CONCURRENCY = [1, 50];
const LONG_PROMPT_CHARS = 100_000;

export async function procsSection(upstream: Service): Promise<void> {
  const errors = new ErrorLog();
  const schema = await createBenchSchema(DATABASE_URL);
  const prefix = `bench:${randomBytes(4).toString('hex')}`;
  const apis: ApiProcess[] = [];
  try {
    const db = await connectDb(schema.url);
    const tokens = (await createBenchUsers(db, Math.max(...CONCURRENCY))).map((user) => user.token);
    await db.destroy();
    const env = {
      OPENROUTER_API_KEY: 'bench',
      OPENROUTER_BASE_URL: upstream.url,
      DATABASE_URL: schema.url,
      REDIS_URL,
      RUN_EVENTS_PREFIX: `${prefix}:run`,
      RATE_LIMIT_PREFIX: `${prefix}:rl`,
      // Finished runs' logs need not outlive the bench in Redis.
      RUN_EVENTS_RETAIN_MS: '60000',
    };
    const apiA = track(await startApiProcess(env, { profile: PROFILE }));
    const apiB = track(await startApiProcess(env, { profile: PROFILE }));
    apis.push(apiA, apiB);
    const proxy = await spawnService('round-robin-proxy.ts', { PROXY_BACKENDS: `${apiA.url},${apiB.url}` });
    const direct = createOpenAiCompatibleProvider({ name: 'direct', baseUrl: upstream.url, apiKey: 'bench' });
    const models = modelIds.slice(0, MODELS);
    let runNumber = 0;
    const via = (url: string) => (slot: number) =>
      apiRun({ url, token: tokens[slot] ?? '' }, models, `bench ${runNumber++}`);
    const setups = [
      { label: '1 proc, PG+Redis', url: apiA.url, pids: [apiA.pid] },
      { label: '2 procs + proxy, PG+Redis', url: proxy.url, pids: [apiA.pid, apiB.pid] },
    ];
    for (const setup of setups) await measure(4, via(setup.url));

    const table = new Table(
      `Several processes: ${MODELS} models, PostgreSQL + Redis`,
      [
        'conc',
        'setup',
        'direct TTFT p50/p99 ms',
        'added p50/p99 ms',
        'compare.start p50/p99 ms',
        'runs/s',
        'errors',
        'CPU ms/cmp',
        'start/events on 2 procs',
      ],
      [0, 25],
    );
    for (const concurrency of CONCURRENCY) {
      const base = await measure(concurrency, () => directRun(direct, models));
      for (const setup of setups) {
        const m = await withCpu(setup.pids, () => measure(concurrency, via(setup.url)));
        errors.note(`${setup.label}, × ${concurrency}`, m);
        table.row([
          String(concurrency),
          setup.label,
          pair(base.ttft),
          added(m, base),
          pair(m.startMs),
          f(m.runsPerSecond),
          String(m.errors),
          f(m.cpuMsPerRun, 2),
          setup.pids.length > 1 ? `${m.crossed} of ${m.runs} runs` : '',
        ]);
      }
    }

    // A model whose context holds the prompt (a token is at least a character, so one of as many tokens
    // as there are characters surely does).
    const longModel = registry.find(
      (m) => modelIds.includes(m.id) && (m.contextLength ?? 0) >= LONG_PROMPT_CHARS,
    );
    const sentence = 'The quick brown fox jumps over the lazy dog, then checks the weather report. ';
    const longPrompt = sentence
      .repeat(Math.ceil(LONG_PROMPT_CHARS / sentence.length))
      .slice(0, LONG_PROMPT_CHARS);
    const long = longModel
      ? await apiRun({ url: proxy.url, token: tokens[0] ?? '' }, [longModel.id], longPrompt)
      : { ok: false, totalMs: 0, crossed: null, error: 'no benchmarked model has a 100,000-token context' };
    const across = long.crossed ? ', start and events on different processes' : '';
    console.log(
      long.ok
        ? `100,000-character prompt through the proxy: ok (${long.totalMs.toFixed(0)} ms, ${longModel?.id}${across})`
        : `100,000-character prompt through the proxy: FAILED (${long.error})`,
    );
    console.log(`peak RSS: ${apiA.peakRssMb().toFixed(0)} MB, ${apiB.peakRssMb().toFixed(0)} MB`);
    errors.print();
    await proxy.stop();
    await apiA.stop();
    await apiB.stop();
    printProfiles([
      ['the procs section API A', apiA],
      ['the procs section API B', apiB],
    ]);
  } finally {
    for (const api of apis) await api.stop();
    await schema.drop();
  }
}
