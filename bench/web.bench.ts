/**
 * pnpm bench:web — what the web app costs the browser.
 *
 * 1. Production bundle: total JS and the JS loaded before first paint (entry + modulepreloads), gzip.
 * 2. Streaming render: the built API (mock models at 200 tokens/s: MOCK_TOKEN_DELAY_MS=5) serving the
 *    built app to headless Chromium, a Pro+ user (registered and verified through the dev outbox, then
 *    moved to pro_plus in the database, since there is no admin screen yet) comparing 12 models at once
 *    and following up. Frame times are requestAnimationFrame deltas collected in the page while the
 *    cards stream; printed: frames, p50, p95, longest, frames over 50 ms and long tasks, then whether
 *    issue 15's target (12 columns at 200 tokens/s, p95 frame ≤ 50 ms) is met. Figures, not
 *    assertions. The columns as the app lays them out by default: one sideways row, sync scroll on
 *    (BENCH_SYNC_SCROLL=off: each column scrolls on its own).
 *
 * Builds apps/web and apps/api first when their dist is missing (or always with BENCH_BUILD=1).
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort } from '@compareintel/api/internal/testing/api-process';
import { connectDb } from '@compareintel/db';
import { chromium, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
/** BENCH_WEB_DIST: another build of the web app (e.g. of an older commit) to compare against. */
const webDist = process.env.BENCH_WEB_DIST ?? path.join(root, 'apps/web/dist');
const apiEntry = path.join(root, 'apps/api/dist/main.js');
const MODELS = 12;
const ROUNDS = 5;
/** The first part of each round mounts the cards (or the new turn) and waits for first tokens. */
const STARTUP_MS = 300;

function ensureBuilt(): void {
  const always = process.env.BENCH_BUILD === '1';
  if (always || !existsSync(apiEntry))
    execSync('pnpm --filter @compareintel/api build', { cwd: root, stdio: 'inherit' });
  if (always || !existsSync(path.join(webDist, 'index.html'))) {
    execSync('pnpm --filter @compareintel/web build', { cwd: root, stdio: 'inherit' });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function bundleSizes(): void {
  const html = readFileSync(path.join(webDist, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)]
      .map((match) => match[1] ?? '')
      .filter(Boolean),
  );
  const assets = readdirSync(path.join(webDist, 'assets'));
  let total = 0;
  let totalRaw = 0;
  let initialGzip = 0;
  const rows: string[] = [];
  for (const file of assets.filter((name) => name.endsWith('.js')).sort()) {
    const bytes = readFileSync(path.join(webDist, 'assets', file));
    const gzip = gzipSync(bytes, { level: 9 }).length;
    total += gzip;
    totalRaw += bytes.length;
    const isInitial = initial.has(`assets/${file}`);
    if (isInitial) initialGzip += gzip;
    rows.push(
      `  ${isInitial ? 'initial' : 'lazy   '}  ${file.padEnd(36)} ${kb(bytes.length).padStart(10)} ${kb(gzip).padStart(10)} gzip`,
    );
  }
  const css = assets
    .filter((name) => name.endsWith('.css'))
    .reduce(
      (sum, name) => sum + gzipSync(readFileSync(path.join(webDist, 'assets', name)), { level: 9 }).length,
      0,
    );
  console.log('Production bundle (apps/web/dist)');
  console.log(rows.join('\n'));
  console.log(`  JS total:   ${kb(totalRaw)} raw, ${kb(total)} gzip`);
  console.log(`  JS initial: ${kb(initialGzip)} gzip (target < 200 kB)`);
  console.log(`  CSS total:  ${kb(css)} gzip (KaTeX fonts load only with math)\n`);
}

async function startApi(databaseFile: string) {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [apiEntry], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: `sqlite:${databaseFile}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: `http://127.0.0.1:${port}`,
      WEB_DIST_DIR: webDist,
      LOG_LEVEL: 'warn',
      MOCK_FIRST_TOKEN_MS: '50',
      MOCK_TOKEN_DELAY_MS: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`API did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function trpcMutation(url: string, procedure: string, input: unknown): Promise<void> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (!response.ok) throw new Error(`${procedure} failed: ${response.status} ${await response.text()}`);
}

/** Register, verify through the dev outbox, then make the account Pro+ (12 models) in the database. */
async function proPlusUser(url: string, databaseFile: string) {
  const email = `bench.${Date.now()}@example.com`;
  const password = 'benchmark1';
  await trpcMutation(url, 'auth.register', { email, password });
  const outbox: unknown = await (await fetch(`${url}/dev/mail?format=json`)).json();
  const link = JSON.stringify(outbox).match(/https?:\/\/[^"\s]*verify-email\?token=([\w-]+)/);
  if (!link?.[1]) throw new Error('no verification mail in the dev outbox');
  await trpcMutation(url, 'auth.verifyEmail', { token: link[1] });
  const db = await connectDb(`sqlite:${databaseFile}`);
  // 0 allocated = the tier table's pool (see poolSizeOf in the API).
  await db
    .knex('users')
    .where({ email })
    .update({ subscription_tier: 'pro_plus', monthly_credits_allocated: 0 });
  await db.destroy();
  return { email, password };
}

/** Collect requestAnimationFrame deltas and long tasks in the page until STOP_MEASURING. */
const START_MEASURING = `(() => {
  const bench = { frames: [], at: [], longTasks: [], on: true };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (bench.on) bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  let last = performance.now();
  const t0 = last;
  const tick = (now) => {
    bench.frames.push(now - last);
    bench.at.push(now - t0);
    last = now;
    if (bench.on) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** The first delta spans the time before measuring began, so it is dropped. */
const STOP_MEASURING = `(() => {
  const bench = window.__bench;
  bench.on = false;
  return { frames: bench.frames.slice(1), at: bench.at.slice(1), longTasks: bench.longTasks };
})()`;

function isNumberList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

interface Measurement {
  frames: number[];
  /** When each frame ended, ms after the prompt was sent. */
  at: number[];
  longTasks: number[];
}

function isMeasurement(value: unknown): value is Measurement {
  return (
    typeof value === 'object' &&
    value !== null &&
    'frames' in value &&
    'at' in value &&
    'longTasks' in value &&
    isNumberList(value.frames) &&
    isNumberList(value.at) &&
    isNumberList(value.longTasks)
  );
}

function printFrames(label: string, frames: number[]): void {
  const sorted = [...frames].sort((a, b) => a - b);
  console.log(
    `  ${`${label}:`.padEnd(17)} p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, longest ${(sorted.at(-1) ?? 0).toFixed(1)} ms, ${frames.filter((frame) => frame > 50).length} over 50 ms (target: none)`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measureRound(page: Page, prompt: string): Promise<Measurement> {
  // A plain string: functions passed to the page must not carry tsx's helper calls (__name).
  await page.evaluate(START_MEASURING);
  const box = page.locator('.composer-input');
  await box.fill(prompt);
  await box.press('Enter');
  await page.waitForFunction(
    `[...document.querySelectorAll('article.result-card')].filter((card) => card.dataset.status === 'done').length === ${MODELS}`,
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  const measured: unknown = await page.evaluate(STOP_MEASURING);
  if (!isMeasurement(measured)) throw new Error('the page returned no frame measurements');
  return measured;
}

async function streamingFrames(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ci-bench-web-'));
  const databaseFile = path.join(dir, 'bench.db');
  const api = await startApi(databaseFile);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const user = await proPlusUser(api.url, databaseFile);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${api.url}/signin`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.url}/`);
    // BENCH_SYNC_SCROLL=off measures the other column mode (each column scrolls on its own).
    if (process.env.BENCH_SYNC_SCROLL === 'off') {
      await page.evaluate(
        `localStorage.setItem('compareintel.columnLayout', JSON.stringify({ columns: 'auto', syncScroll: false }))`,
      );
    }
    const toggle = page.locator('.picker-toggle');
    await toggle.waitFor();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const open = page.locator('.picker-row:not(.is-locked) input[type=checkbox]');
    for (let index = 0; index < MODELS; index++) await open.nth(index).check();
    const counter = await page.getByTestId('picker-counter').textContent();
    await page.getByRole('button', { name: 'Done' }).click();

    const frames: number[] = [];
    const steady: number[] = [];
    const longTasks: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const prompt = round === 0 ? 'Explain recursion with an example.' : `Follow-up ${round}: go on.`;
      const result = await measureRound(page, prompt);
      frames.push(...result.frames);
      // Past the first STARTUP_MS the cards exist and only stream: the steady state.
      steady.push(...result.frames.filter((_, index) => (result.at[index] ?? 0) > STARTUP_MS));
      longTasks.push(...result.longTasks);
    }
    const streamedMs = frames.reduce((sum, frame) => sum + frame, 0);
    console.log(
      `Streaming render: ${MODELS} models (picker ${counter}) at 200 tokens/s, ${ROUNDS} rounds (1 comparison + ${ROUNDS - 1} follow-ups), 1440×900 headless Chromium, sync scroll ${process.env.BENCH_SYNC_SCROLL === 'off' ? 'off' : 'on'}`,
    );
    console.log(
      `  frames:           ${frames.length} over ${(streamedMs / 1000).toFixed(1)} s from send to last card done`,
    );
    printFrames('all frames', frames);
    printFrames(`after ${STARTUP_MS} ms`, steady);
    const p95 = percentile(
      [...frames].sort((a, b) => a - b),
      95,
    );
    console.log(
      `  target:           p95 frame ≤ 50 ms with 12 cards at 200 tok/s: ${p95 <= 50 ? 'met' : 'NOT met'} (${p95.toFixed(1)} ms)`,
    );
    console.log(
      `  long tasks:       ${longTasks.length}${longTasks.length ? `, longest ${Math.max(...longTasks).toFixed(0)} ms` : ''}`,
    );
  } finally {
    await browser.close();
    api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

ensureBuilt();
bundleSizes();
await streamingFrames();
