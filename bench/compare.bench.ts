/**
 * pnpm bench:compare — what the API adds on top of the upstream, and what it costs (issue 14).
 *
 * The API runs as production runs it: the bundle built from the current source (apps/api/dist/main.js,
 * rebuilt at the start), `node dist/main.js` with NODE_ENV=production and LOG_LEVEL=warn, each database
 * migrated by the bench first (production does not migrate on start or seed a staff account). Fake
 * OpenAI-compatible upstreams (OPENROUTER_BASE_URL), proxies and API processes each run in their own
 * process on 127.0.0.1; this process is only the client. Figures, never assertions.
 *
 * Users: one verified Pro+ account per concurrent slot (so concurrent admissions are different users'
 * and do not queue on one user's row), written into the database with a session each; requests carry
 * that session's token as `Authorization: Bearer`. Not `auth.createToken` per user: sign-in allows 30
 * attempts per IP per 15 minutes and costs a bcrypt check each (see lib/bench-users.ts); the history
 * section's user does sign in through `auth.createToken` over HTTP.
 *
 * CPU: a process's CPU time from the kernel (sum of its threads' /proc/<pid>/task/<tid>/schedstat, ns;
 * else utime + stime of /proc/<pid>/stat), read before and after a cell, ÷ the cell's runs.
 *
 * Sections (BENCH_SECTIONS, comma list; default all, in this order):
 *   main     models (BENCH_MODELS, default 1,3,4,12) × concurrency (BENCH_CONCURRENCY, default 1,50):
 *            direct, floor, API on SQLite, API on PostgreSQL; TTFT added, total ÷ slowest, runs/s,
 *            errors, CPU ms per comparison and its ratio to the floor's (sections/main.ts)
 *   floor    the bare pass-through proxy (passthrough-proxy.ts) beside direct; part of main, alone
 *            when main is not chosen
 *   big      BENCH_BIG (default 1,000) concurrent 3-model comparisons on a slow upstream (30 s per
 *            model), one API process on SQLite, at most BENCH_BIG_ADMIT (100; 0 = no limit) starts in
 *            flight: errors, RSS idle / most open / peak, RSS per open stream (sections/big.ts)
 *   history  BENCH_HISTORY (default 100,000) conversations and credit transactions of one user on
 *            PostgreSQL: conversations.list and credits.history p50/p95/p99 (sections/history.ts)
 *   procs    two API processes on one PostgreSQL schema and Redis behind the round-robin proxy, beside
 *            one, 3 models at concurrency 1 and 50, and a 100,000-character prompt (sections/procs.ts)
 * BENCH_PROFILE=1 runs the API processes under --cpu-prof and prints each profile's top self times.
 * BENCH_DATABASE_URL and BENCH_REDIS_URL override postgres://postgres@127.0.0.1:5432/test and
 * redis://127.0.0.1:6379.
 */
import { buildApi } from './lib/api-process';
import {
  mainBehaviors,
  PIECES,
  SLOW_PIECES,
  startFakeUpstream,
  stopAll,
  TOKEN_DELAY_MS,
  TTFT_MS,
} from './lib/services';
import { bigSection } from './sections/big';
import { historySection } from './sections/history';
import { mainSection } from './sections/main';
import { procsSection } from './sections/procs';

const SECTIONS = ['main', 'floor', 'big', 'history', 'procs'] as const;
const chosen = new Set((process.env.BENCH_SECTIONS ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
const unknown = [...chosen].filter((name) => !SECTIONS.some((section) => section === name));
if (unknown.length > 0) throw new Error(`BENCH_SECTIONS: unknown ${unknown.join(', ')} (use ${SECTIONS})`);

const started = performance.now();
buildApi();
try {
  if (chosen.has('main') || chosen.has('floor')) {
    const upstream = await startFakeUpstream(mainBehaviors);
    console.log(
      `fake upstream: TTFT ${TTFT_MS} ms, ${1000 / TOKEN_DELAY_MS} tokens/s, ${PIECES} tokens (slowest model ${SLOW_PIECES})`,
    );
    if (chosen.has('main') || chosen.has('floor')) await mainSection(upstream, { api: chosen.has('main') });
    await upstream.stop();
  }
  if (chosen.has('big')) await bigSection();
  if (chosen.has('history')) await historySection();
  if (chosen.has('procs')) {
    const upstream = await startFakeUpstream(mainBehaviors);
    await procsSection(upstream);
    await upstream.stop();
  }
} finally {
  await stopAll();
}
console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
