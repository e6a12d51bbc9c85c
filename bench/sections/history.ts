/**
 * History at scale: one user with BENCH_HISTORY (default 100,000) conversations and as many credit
 * transactions on PostgreSQL (lib/history-seed.ts), signed in through `auth.createToken` over HTTP, then
 * sequential calls through one API process, timed by this client: 40 rounds of the first page and the
 * four pages after it (following nextCursor), 200 calls per procedure, then 50 pages at random depths
 * (a random row as the cursor). Page sizes are the web app's: 100 conversations (the sidebar), 25 ledger
 * rows (the usage page).
 */
import { connectDb } from '@compareintel/db';
import { createBenchSchema, startApiProcess } from '../lib/api-process';
import { createBenchUsers } from '../lib/bench-users';
import { percentile, prop } from '../lib/compare-run';
import { seedHistory } from '../lib/history-seed';
import { DATABASE_URL, modelIds, PROFILE, printProfiles, track } from '../lib/services';
import { f, Table } from '../lib/table';

const ROWS = Number(process.env.BENCH_HISTORY ?? 100_000);
const ROUNDS = 40;
const PAGES = 5;
const DEEP = 50;
const WARM_UP = 20;

interface Page {
  ms: number;
  nextCursor: number | null;
}

export async function historySection(): Promise<void> {
  const schema = await createBenchSchema(DATABASE_URL);
  const db = await connectDb(schema.url);
  try {
    const [user] = await createBenchUsers(db, 1);
    if (!user) throw new Error('no history user');
    const seedStarted = performance.now();
    const seeded = await seedHistory(db, user.id, modelIds.slice(0, 3), ROWS);
    const seedS = (performance.now() - seedStarted) / 1000;
    const api = track(await startApiProcess({ DATABASE_URL: schema.url }, { profile: PROFILE }));

    const signIn = await fetch(`${api.url}/trpc/auth.createToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const token = prop(prop(prop(await signIn.json(), 'result'), 'data'), 'token');
    if (typeof token !== 'string') throw new Error(`auth.createToken answered ${signIn.status}`);

    async function page(procedure: string, input: object): Promise<Page> {
      const started = performance.now();
      const response = await fetch(
        `${api.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const data = prop(prop(await response.json(), 'result'), 'data');
      const ms = performance.now() - started;
      if (!response.ok || data === undefined) throw new Error(`${procedure} answered ${response.status}`);
      const nextCursor = prop(data, 'nextCursor');
      return { ms, nextCursor: typeof nextCursor === 'number' ? nextCursor : null };
    }

    const table = new Table(
      `History: ${ROWS.toLocaleString('en')} conversations and credit transactions of one user, PostgreSQL (seeded in ${f(seedS)} s), sequential calls over HTTP`,
      ['call', 'page size', 'pages', 'calls', 'p50 ms', 'p95 ms', 'p99 ms', 'API CPU ms/call'],
      [19, 0, 14],
    );
    const procedures = [
      { name: 'conversations.list', limit: 100, ids: seeded.conversationIds },
      { name: 'credits.history', limit: 25, ids: seeded.transactionIds },
    ];
    for (const { name, limit, ids } of procedures) {
      for (let i = 0; i < WARM_UP; i++) await page(name, { limit });
      const first: number[] = [];
      const next: number[] = [];
      const cpuBefore = api.cpuMs();
      for (let round = 0; round < ROUNDS; round++) {
        let cursor: number | null = null;
        for (let n = 0; n < PAGES; n++) {
          const answer: Page = await page(name, cursor === null ? { limit } : { limit, cursor });
          (n === 0 ? first : next).push(answer.ms);
          cursor = answer.nextCursor;
          if (cursor === null) break;
        }
      }
      const cpuPerCall = (api.cpuMs() - cpuBefore) / (first.length + next.length);
      const deep: number[] = [];
      for (let i = 0; i < DEEP; i++) {
        const cursor = ids[Math.floor(Math.random() * ids.length)] ?? 1;
        deep.push((await page(name, { limit, cursor })).ms);
      }
      const line = (pages: string, values: number[], cpu: string) =>
        table.row([
          name,
          String(limit),
          pages,
          String(values.length),
          f(percentile(values, 50)),
          f(percentile(values, 95)),
          f(percentile(values, 99)),
          cpu,
        ]);
      line('1 and 2–5', [...first, ...next], f(cpuPerCall, 2));
      line('1', first, '');
      line('2–5', next, '');
      line('random depth', deep, '');
    }
    await api.stop();
    printProfiles([['the history section API', api]]);
  } finally {
    await db.destroy();
    await schema.drop();
  }
}
