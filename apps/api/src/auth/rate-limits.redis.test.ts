import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserClient } from '../testing/cookie-jar';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { httpFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

// Only part of the run when TEST_REDIS_URL is set (see vitest.config.ts): two API instances, each with
// its own HTTP server, share one Redis and therefore one set of counters.

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = randomBytes(6).toString('hex');
const prefix = `test:shared:${runId}`;
const rules = {
  loginPerEmail: { points: 4, durationSeconds: 900, what: 'sign-in attempts' },
  registerPerIp: { points: 3, durationSeconds: 3600, what: 'sign-ups' },
};

let first: TestApp;
let second: TestApp;
let firstHttp: TestServer;
let secondHttp: TestServer;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(redisUrl);
  first = await createTestApp({ REDIS_URL: redisUrl, RATE_LIMIT_PREFIX: prefix }, { rateLimitRules: rules });
  second = await createTestApp({ REDIS_URL: redisUrl, RATE_LIMIT_PREFIX: prefix }, { rateLimitRules: rules });
  firstHttp = await startTestServer(first);
  secondHttp = await startTestServer(second);
});
afterAll(async () => {
  await firstHttp?.close();
  await secondHttp?.close();
  await first?.close();
  await second?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('rate limits in Redis', () => {
  it('two API instances share one sign-in limit per email', async () => {
    const email = `shared-${randomBytes(4).toString('hex')}@example.test`;
    await createTestUser(first.db, { email });
    await createTestUser(second.db, { email });
    const clients = [createBrowserClient(firstHttp.url), createBrowserClient(secondHttp.url)];
    for (const client of [...clients, ...clients]) {
      const failure = await httpFailure(client.auth.login.mutate({ email, password: 'wrong-pass-1' }));
      expect(failure.data?.code).toBe('UNAUTHORIZED');
    }
    for (const client of clients) {
      const blocked = await httpFailure(client.auth.login.mutate({ email, password: 'wrong-pass-1' }));
      expect(blocked.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(blocked.data?.app?.retryAfterSeconds).toBeGreaterThan(0);
    }
    // The counter lives in Redis under the configured prefix, keyed by a hash rather than the address.
    const keys = await redis.keys(`${prefix}:loginPerEmail:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(email);
  });

  it('two API instances share one sign-up limit per IP', async () => {
    const sign = (app: TestServer, n: number) =>
      createBrowserClient(app.url).auth.register.mutate({
        email: `ip-${n}-${runId}@example.test`,
        password: 'shared-pass-1',
      });
    await sign(firstHttp, 1);
    await sign(secondHttp, 2);
    await sign(firstHttp, 3);
    const blocked = await httpFailure(sign(secondHttp, 4));
    expect(blocked.data?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('an instance with another prefix keeps its own counts', async () => {
    const other = await createTestApp({ REDIS_URL: redisUrl }, { rateLimitRules: rules });
    try {
      const caller = other.caller();
      await caller.auth.register({ email: `own-prefix-${runId}@example.test`, password: 'shared-pass-1' });
      expect(
        await other.db.models.User.query().where('email', `own-prefix-${runId}@example.test`),
      ).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
