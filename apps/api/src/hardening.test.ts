import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MAX_BATCH_CALLS, MAX_ID } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REGISTER_ANSWER_FLOOR_MS } from './auth/register-user';
import { loadConfig } from './env';
import { freePort } from './testing/api-process';
import { createTestApp, startTestServer, type TestApp, type TestServer } from './testing/test-app';
import { collectRun, createTestClient } from './testing/trpc-client';
import { callerFailure, httpFailure } from './testing/trpc-errors';
import { createTestUser } from './testing/user-factory';

const rule = (points: number, durationSeconds = 900) => ({ points, durationSeconds, what: 'attempts' });

let app: TestApp;
let http: TestServer;

beforeAll(async () => {
  app = await createTestApp(
    { TRUST_PROXY: 1, APP_URL: 'http://app.example.test', MOCK_FIRST_TOKEN_MS: 0, MOCK_TOKEN_DELAY_MS: 0 },
    {
      rateLimitRules: {
        loginPerIp: { ...rule(3), what: 'sign-in attempts' },
        publicPerIp: { ...rule(40, 60), what: 'requests' },
      },
    },
  );
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
});

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `198.18.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

/** A raw GET of a batched query, as any HTTP client could send it. */
async function batchedGet(calls: number, headers: Record<string, string> = {}) {
  const paths = Array.from({ length: calls }, () => 'models.list').join(',');
  const input = encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, {}]))),
  );
  return fetch(`${http.url}/trpc/${paths}?batch=1&input=${input}`, { headers });
}

describe('batching and the visitor budget (issue 9)', () => {
  it(`answers a batch of ${MAX_BATCH_CALLS} calls and refuses a bigger one with a 400`, async () => {
    const ok = await batchedGet(MAX_BATCH_CALLS, { 'x-forwarded-for': freshIp() });
    expect(ok.status).toBe(200);
    const tooMany = await batchedGet(400, { 'x-forwarded-for': freshIp() });
    expect(tooMany.status).toBe(400);
    // The refusal is small: it costs the server no more than it cost the caller.
    expect((await tooMany.text()).length).toBeLessThan(2000);
  });

  it('gives each visitor IP a request budget; signed-in calls do not use it', async () => {
    const ip = freshIp();
    const visitor = createTestClient(http.url, () => ({ 'x-forwarded-for': ip }));
    for (let i = 0; i < 40; i += 1) await visitor.health.check.query();
    const refused = await httpFailure(visitor.health.check.query());
    expect(refused.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.data?.app?.retryAfterSeconds).toBeGreaterThan(0);
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const member = createTestClient(http.url, () => ({
      'x-forwarded-for': ip,
      authorization: `Bearer ${token}`,
    }));
    expect(await member.auth.me.query()).toMatchObject({ id: user.id });
  });
});

describe('trusted proxies (issue 9)', () => {
  it('takes the nearest untrusted hop: rotating the leftmost X-Forwarded-For entry changes nothing', async () => {
    const client = (forwarded: string) =>
      createTestClient(http.url, () => ({ 'x-forwarded-for': forwarded }));
    const real = freshIp();
    for (let i = 0; i < 3; i += 1) {
      const failure = await httpFailure(
        client(`${freshIp()}, ${real}`).auth.login.mutate({
          email: `nobody-${i}@example.test`,
          password: 'wrong-1',
        }),
      );
      expect(failure.data?.code).toBe('UNAUTHORIZED');
    }
    const blocked = await httpFailure(
      client(`${freshIp()}, ${real}`).auth.login.mutate({
        email: 'nobody-x@example.test',
        password: 'wrong-1',
      }),
    );
    expect(blocked.data?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('reads TRUST_PROXY as off, a hop count or a list of proxy addresses, and refuses anything else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).TRUST_PROXY).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(
      /TRUST_PROXY must be false, a number of proxy hops/,
    );
  });
});

describe('the development outbox (issue 9)', () => {
  it('answers only this machine, judged by the socket and not by X-Forwarded-For', async () => {
    const local = await http.server.inject({
      method: 'GET',
      url: '/dev/mail?format=json',
      remoteAddress: '127.0.0.1',
    });
    expect(local.statusCode).toBe(200);
    const remote = await http.server.inject({
      method: 'GET',
      url: '/dev/mail?format=json',
      remoteAddress: '203.0.113.50',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(remote.statusCode).toBe(404);
    expect(remote.body).not.toContain('reset-password');
  });

  it('is not served by the production bundle, which defaults to NODE_ENV=production', async () => {
    const apiDir = path.resolve(import.meta.dirname, '..');
    // Inside the package, so the bundle's external packages resolve from its node_modules.
    const cache = path.join(apiDir, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const outdir = mkdtempSync(path.join(cache, 'bundle-'));
    const build = spawnSync(process.execPath, ['build.mjs'], {
      cwd: apiDir,
      env: { ...process.env, BUILD_OUTDIR: outdir },
      encoding: 'utf8',
    });
    expect(build.status).toBe(0);
    const port = await freePort();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(outdir, 'main.js')], {
      cwd: apiDir,
      env: { PATH: process.env.PATH, DATABASE_URL: app.db.url, PORT: String(port), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    }
    try {
      for (let i = 0; i < 100 && !output.includes('listening on'); i += 1)
        await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain('listening on');
      expect(output).not.toMatch(/password:/);
      const outbox = await fetch(`http://127.0.0.1:${port}/dev/mail?format=json`);
      expect(outbox.status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('input PostgreSQL cannot hold is refused before anything runs (issue 9)', () => {
  it('refuses ids past 2^31 − 1 and NUL characters with BAD_REQUEST and field messages', async () => {
    const { user } = await createTestUser(app.db);
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    const tooBig = MAX_ID + 1;
    for (const call of [
      () => client.conversations.get.query({ id: tooBig }),
      () => client.conversations.list.query({ cursor: tooBig, limit: 10 }),
      () => client.credits.history.query({ cursor: tooBig, limit: 10 }),
      () => client.conversations.rename.mutate({ id: 1, title: 'bad\u0000title' }),
    ]) {
      const failure = await httpFailure(call());
      expect(failure.data?.code).toBe('BAD_REQUEST');
      expect(failure.data?.httpStatus).toBe(400);
      expect(Object.keys(failure.data?.zodError?.fieldErrors ?? {}).length).toBeGreaterThan(0);
    }
    const run = await collectRun(client, { models: ['google/gemini-2.5-flash'], prompt: 'nul\u0000here' });
    expect(run.error?.data?.code).toBe('BAD_REQUEST');
    const followUp = await collectRun(client, {
      models: ['google/gemini-2.5-flash'],
      prompt: 'ok',
      conversationId: tooBig,
    });
    expect(followUp.error?.data?.code).toBe('BAD_REQUEST');
    expect(await app.db.models.UsageLog.query().where('user_id', user.id)).toHaveLength(0);
    expect(await app.db.models.Conversation.query().where('user_id', user.id)).toHaveLength(0);
  });

  it('says what is wrong in the top-level message, not as raw zod JSON', async () => {
    const failure = await httpFailure(
      createTestClient(http.url).compare.estimate.query({ models: [], prompt: '' }),
    );
    expect(failure.message).toMatch(/^(models|prompt): .+ \(and 1 more\)$/);
    expect(failure.message).not.toContain('[');
  });
});

describe('answers that tell nothing about which emails exist (issue 9)', () => {
  it('does the reset and resend work after answering: a known and an unknown email cost the answer the same queries', async () => {
    const { email } = await createTestUser(app.db, { is_verified: false });
    const queriesDuring = async (call: () => Promise<unknown>) => {
      let count = 0;
      const listener = () => {
        count += 1;
      };
      app.db.knex.on('query', listener);
      await call();
      app.db.knex.off('query', listener);
      await app.services.background.drain();
      return count;
    };
    const caller = app.caller({ ip: freshIp() });
    for (const procedure of ['requestPasswordReset', 'resendVerification'] as const) {
      const known = await queriesDuring(() => caller.auth[procedure]({ email }));
      const unknown = await queriesDuring(() =>
        caller.auth[procedure]({ email: `nobody-${procedure}@example.test` }),
      );
      expect(known).toBe(unknown);
    }
    // The work still happened, after the answer.
    const user = await app.db.models.User.query().findOne({ email }).throwIfNotFound();
    expect(user.reset_token).not.toBeNull();
    expect(app.services.devOutbox?.list().filter((mail) => mail.to === email)).toHaveLength(2);
  });

  it('answers every sign-up after the same floor, new email or known', async () => {
    const { email } = await createTestUser(app.db);
    for (const address of [email, `fresh-${Date.now()}@example.test`]) {
      const started = performance.now();
      expect(
        await app.caller({ ip: freshIp() }).auth.register({ email: address, password: 'timing pass 1' }),
      ).toEqual({ ok: true });
      expect(performance.now() - started).toBeGreaterThanOrEqual(REGISTER_ANSWER_FLOOR_MS - 1);
    }
  });
});

describe('requests from other sites (issue 9)', () => {
  it('refuses calls whose Origin or Referer is another site, even without Sec-Fetch-Site', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${http.url}/trpc/auth.logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await post({ origin: 'http://app.example.test' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    const input = encodeURIComponent(JSON.stringify({ runId: crypto.randomUUID() }));
    const sse = await fetch(`${http.url}/trpc/compare.events?input=${input}`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(sse.status).toBe(403);
  });
});

describe('what is logged (issue 9)', () => {
  it('logs real faults only, not refusals such as PAYMENT_REQUIRED from a subscription', async () => {
    const logged = vi.spyOn(http.server.log, 'error');
    const { user } = await createTestUser(app.db, { credits_used_this_period: 100 });
    const { token } = await app.signIn(user);
    const client = createTestClient(http.url, () => ({ authorization: `Bearer ${token}` }));
    const refused = await collectRun(client, {
      models: ['google/gemini-2.5-flash'],
      prompt: 'No credits left',
    });
    expect(refused.error?.data?.code).toBe('PAYMENT_REQUIRED');
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
    expect((await callerFailure(app.caller().conversations.list({ limit: 5 }))).code).toBe('UNAUTHORIZED');
  });
});
