/**
 * Many streams held at once: BENCH_BIG (default 1,000) 3-model comparisons, each a different user's,
 * against one API process on SQLite, on a slow upstream of its own (TTFT 100 ms, then 30 tokens at
 * 1 token/s: about 30 s of streaming per model, so the first comparisons still stream when the last are
 * admitted). The client starts them all but keeps at most BENCH_BIG_ADMIT (default 100; 0 = no limit)
 * compare.start calls in flight, as arrivals over a few seconds would: a burst of 1,000 new connections
 * at once overflows the API's accept queue while its event loop is busy (see "listen overflows"), which
 * measures the kernel's backlog rather than what holding the streams costs.
 * RSS per open stream is (RSS when the most comparisons had all their models streaming − RSS idle
 * before) ÷ those comparisons, also ÷ their model streams (3 each; one SSE stream to the client carries
 * all three). The bench client holds every SSE connection itself with fetch (undici opens as many
 * connections per origin as asked; its body timeout of 300 s is far above the gaps between events).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { connectDb } from '@compareintel/db';
import { migrateDatabase, startApiProcess } from '../lib/api-process';
import { createBenchUsers } from '../lib/bench-users';
import { apiRun, measure, percentile, type RunTiming } from '../lib/compare-run';
import { listenOverflows } from '../lib/process-stats';
import { ErrorLog, modelIds, PROFILE, printProfiles, startFakeUpstream, text, track } from '../lib/services';
import { f, pair, Table } from '../lib/table';

const BIG = Number(process.env.BENCH_BIG ?? 1000);
/** compare.start calls in flight at most (0: all BIG at once, a burst of as many new connections). */
const ADMIT = Number(process.env.BENCH_BIG_ADMIT ?? 100);
const MODELS = 3;
const SLOW = { ttftMs: 100, tokenDelayMs: 1000, pieces: 30 };
/** A comparison still streaming is waited for this long: an error here is the API's, not impatience. */
const RUN_TIMEOUT_MS = 180_000;

/** At most `limit` callers inside at once (no limit at 0); `enter` resolves to the way out (callable twice). */
class Gate {
  private inside = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async enter(): Promise<() => void> {
    if (this.limit > 0 && this.inside >= this.limit) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.inside++;
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.queue.shift();
      // The place passes straight to the next caller, or is given up.
      if (next) next();
      else this.inside--;
    };
  }
}

export async function bigSection(): Promise<void> {
  const models = modelIds.slice(0, MODELS);
  // One more model answers fast: the warm-up runs on it.
  const warmModel = modelIds[MODELS] ?? '';
  const behaviors = Object.fromEntries([
    ...models.map((id) => [
      id,
      { text: text(SLOW.pieces), ttftMs: SLOW.ttftMs, tokenDelayMs: SLOW.tokenDelayMs, costUsd: 0.0001 },
    ]),
    [warmModel, { text: text(10), ttftMs: 10, tokenDelayMs: 1, costUsd: 0.0001 }],
  ]);
  const upstream = await startFakeUpstream(behaviors);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-big-'));
  const errors = new ErrorLog();
  try {
    const url = `sqlite:${path.join(dataDir, 'bench.db')}`;
    await migrateDatabase(url);
    const db = await connectDb(url);
    const tokens = (await createBenchUsers(db, BIG)).map((user) => user.token);
    await db.destroy();
    const api = track(
      await startApiProcess(
        { OPENROUTER_API_KEY: 'bench', OPENROUTER_BASE_URL: upstream.url, DATABASE_URL: url },
        { profile: PROFILE },
      ),
    );
    const target = (slot: number) => ({ url: api.url, token: tokens[slot] ?? '' });
    await measure(10, (slot) => apiRun(target(slot), [warmModel], 'warm up'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = api.rssMb();
    const cpuBefore = [api.cpuMs(), upstream.cpuMs(), process.cpuUsage()] as const;
    const overflowsBefore = listenOverflows();

    let streaming = 0;
    let open = 0;
    let mostOpen = 0;
    let rssAtMostOpen = idleRss;
    let allOpenAfterMs: number | null = null;
    const admission = new Gate(ADMIT);
    const started = performance.now();
    const runs: RunTiming[] = await Promise.all(
      Array.from({ length: BIG }, async (_, slot) => {
        const leave = await admission.enter();
        let isOpen = false;
        try {
          return await apiRun(target(slot), models, `big ${slot}`, {
            timeoutMs: RUN_TIMEOUT_MS,
            onStarted: leave,
            onStreaming: () => {
              isOpen = true;
              streaming++;
              open++;
              if (streaming === BIG) allOpenAfterMs = performance.now() - started;
              if (open <= mostOpen) return;
              mostOpen = open;
              rssAtMostOpen = api.rssMb();
            },
          });
        } finally {
          leave();
          if (isOpen) open--;
        }
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const apiCpuMs = api.cpuMs() - cpuBefore[0];
    const client = process.cpuUsage(cpuBefore[2]);
    const cpuLine = [
      `API ${f(apiCpuMs / 1000)} s`,
      `fake upstream ${f((upstream.cpuMs() - cpuBefore[1]) / 1000)} s`,
      `bench client ${f((client.user + client.system) / 1e6)} s`,
    ].join(', ');
    const ok = runs.filter((run) => run.ok);
    errors.note('big', {
      errorSamples: [...new Set(runs.flatMap((run) => (run.error ? [run.error] : [])))].slice(0, 3),
    });
    const perComparisonKb = ((rssAtMostOpen - idleRss) * 1024) / Math.max(1, mostOpen);
    const table = new Table(
      `Big: ${BIG} concurrent ${MODELS}-model comparisons (${ADMIT > 0 ? `at most ${ADMIT} compare.start in flight` : 'all started at once'}), slow upstream (${SLOW.pieces} tokens at ${1000 / SLOW.tokenDelayMs}/s), one API process, SQLite`,
      [
        'errors',
        'listen overflows',
        'all streaming after s',
        'most open at once',
        'RSS idle MB',
        'RSS most open MB',
        'peak RSS MB',
        'RSS/comparison kB',
        'RSS/model stream kB',
        'CPU ms/cmp',
        'start p50/p99 ms',
        'total p50/p99 s',
      ],
    );
    table.row([
      String(runs.length - ok.length),
      String(listenOverflows() - overflowsBefore),
      allOpenAfterMs === null ? 'never' : f(allOpenAfterMs / 1000),
      String(mostOpen),
      f(idleRss, 0),
      f(rssAtMostOpen, 0),
      f(api.peakRssMb(), 0),
      f(perComparisonKb, 0),
      f(perComparisonKb / MODELS, 0),
      f(apiCpuMs / BIG, 2),
      pair(ok.flatMap((run) => (run.startMs === null ? [] : [run.startMs]))),
      `${f(
        percentile(
          ok.map((run) => run.totalMs),
          50,
        ) / 1000,
      )} / ${f(
        percentile(
          ok.map((run) => run.totalMs),
          99,
        ) / 1000,
      )}`,
    ]);
    console.log(`CPU over the ${f(wallS)} s (${availableParallelism()} cores): ${cpuLine}`);
    errors.print();
    await api.stop();
    printProfiles([['the big section API', api]]);
  } finally {
    await upstream.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
