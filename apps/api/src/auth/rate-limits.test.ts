import { AppError } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBrowserClient } from '../testing/cookie-jar';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { callerFailure, httpFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { createRateLimits, ipKey } from './rate-limits';

// Limits in this process's memory (the default). Small limits keep the bcrypt work down.
const rule = (points: number, durationSeconds = 900) => ({ points, durationSeconds, what: 'attempts' });

let app: TestApp;
let http: TestServer;
beforeAll(async () => {
  app = await createTestApp(
    {},
    {
      rateLimitRules: {
        loginPerEmailIp: { ...rule(3), what: 'sign-in attempts' },
        loginPerEmail: { ...rule(20, 3600), what: 'sign-in attempts for this account' },
        reauthPerUser: { ...rule(3), what: 'password checks' },
        loginPerIp: rule(6),
        registerPerIp: rule(2, 3600),
        resendPerEmailIp: rule(2, 3600),
        resendPerEmail: rule(20, 3600),
        resetPerEmailIp: rule(2, 3600),
        resetPerEmail: rule(20, 3600),
        resetPerIp: rule(3, 3600),
      },
    },
  );
  http = await startTestServer(app);
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `10.9.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

describe('sign-in limits', () => {
  it('per email: blocks after the limit, even the right password, with the retry time (over HTTP: 429)', async () => {
    const { email, password } = await createTestUser(app.db);
    const client = createBrowserClient(http.url);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await httpFailure(client.auth.login.mutate({ email, password: 'wrong-pass-1' }));
      expect(wrong.data?.code).toBe('UNAUTHORIZED');
    }
    const blocked = await httpFailure(client.auth.login.mutate({ email, password }));
    expect(blocked.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.data?.httpStatus).toBe(429);
    expect(blocked.message).toMatch(/^Too many sign-in attempts\. Please try again in \d+ minutes\.$/);
    const retryAfter = blocked.data?.app?.retryAfterSeconds ?? 0;
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // Another email from the same place is not affected.
    const other = await createTestUser(app.db);
    expect(await client.auth.login.mutate({ email: other.email, password: other.password })).toMatchObject({
      email: other.email,
    });
  });

  it('per email: the same address in another case counts as the same', async () => {
    const { email } = await createTestUser(app.db);
    const caller = app.caller({ ip: freshIp() });
    for (const typed of [email, email.toUpperCase(), ` ${email} `]) {
      expect((await callerFailure(caller.auth.login({ email: typed, password: 'wrong-pass-1' }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
    expect((await callerFailure(caller.auth.login({ email, password: 'wrong-pass-1' }))).code).toBe(
      'TOO_MANY_REQUESTS',
    );
  });

  it('a successful sign-in clears its (email, IP) counter', async () => {
    const { email, password } = await createTestUser(app.db);
    const caller = app.caller({ ip: freshIp() });
    const wrongAttempt = async () =>
      expect((await callerFailure(caller.auth.login({ email, password: 'wrong-pass-1' }))).code).toBe(
        'UNAUTHORIZED',
      );
    await wrongAttempt();
    await wrongAttempt();
    await caller.auth.login({ email, password });
    // Without the reset the fourth attempt in the window would be refused.
    await wrongAttempt();
    await wrongAttempt();
  });

  it('per IP: many emails from one address are stopped; another address is not', async () => {
    const ip = freshIp();
    const caller = app.caller({ ip });
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const failure = await callerFailure(
        caller.auth.login({ email: `nobody-${attempt}@example.test`, password: 'x' }),
      );
      expect(failure.code).toBe('UNAUTHORIZED');
    }
    const blocked = await callerFailure(caller.auth.login({ email: 'nobody-7@example.test', password: 'x' }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.cause).toBeInstanceOf(AppError);
    const elsewhere = await callerFailure(
      app.caller({ ip: freshIp() }).auth.createToken({ email: 'nobody-7@example.test', password: 'x' }),
    );
    expect(elsewhere.code).toBe('UNAUTHORIZED');
  });
});

describe('sign-up, resend and reset limits', () => {
  it('register per IP: the third sign-up from one address is refused and writes nothing', async () => {
    const caller = app.caller({ ip: freshIp() });
    await caller.auth.register({ email: 'first-signup@example.test', password: 'signup-pass-1' });
    await caller.auth.register({ email: 'second-signup@example.test', password: 'signup-pass-1' });
    const blocked = await callerFailure(
      caller.auth.register({ email: 'third-signup@example.test', password: 'signup-pass-1' }),
    );
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect(await app.db.models.User.query().where('email', 'third-signup@example.test')).toHaveLength(0);
    await app
      .caller({ ip: freshIp() })
      .auth.register({ email: 'third-signup@example.test', password: 'signup-pass-1' });
  });

  it('resend per email, counted the same for unknown emails (no hint either way)', async () => {
    const known = await createTestUser(app.db, { is_verified: false });
    for (const email of [known.email, 'unknown-resend@example.test']) {
      const caller = app.caller({ ip: freshIp() });
      await caller.auth.resendVerification({ email });
      await caller.auth.resendVerification({ email });
      expect((await callerFailure(caller.auth.resendVerification({ email }))).code).toBe('TOO_MANY_REQUESTS');
    }
  });

  it('reset per (email, IP) and per IP; requests from elsewhere do not use up the owner’s', async () => {
    const { email } = await createTestUser(app.db);
    const perEmail = app.caller({ ip: freshIp() });
    await perEmail.auth.requestPasswordReset({ email });
    await perEmail.auth.requestPasswordReset({ email });
    expect((await callerFailure(perEmail.auth.requestPasswordReset({ email }))).code).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await app.caller({ ip: freshIp() }).auth.requestPasswordReset({ email })).toEqual({ ok: true });

    const perIp = app.caller({ ip: freshIp() });
    for (const name of ['a', 'b', 'c'])
      await perIp.auth.requestPasswordReset({ email: `${name}-reset@example.test` });
    const blocked = await callerFailure(perIp.auth.requestPasswordReset({ email: 'd-reset@example.test' }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('a stranger cannot lock the owner out (issue 9)', () => {
  it('failed sign-ins for an email from many addresses leave its owner’s sign-in and password checks working', async () => {
    const { user, email, password } = await createTestUser(app.db);
    for (let i = 0; i < 10; i += 1) {
      const stranger = app.caller({ ip: freshIp() });
      expect((await callerFailure(stranger.auth.login({ email, password: 'wrong-pass-1' }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
    const ownerIp = freshIp();
    expect(await app.caller({ ip: ownerIp }).auth.login({ email, password })).toMatchObject({ email });
    const signedIn = await app.callerAs(user, { ip: ownerIp });
    expect(
      await signedIn.auth.changePassword({ currentPassword: password, newPassword: 'a new pass 42' }),
    ).toEqual({ ok: true });
  });

  it('the owner’s own wrong current passwords are limited per account, apart from sign-ins', async () => {
    const { user } = await createTestUser(app.db);
    const signedIn = await app.callerAs(user, { ip: freshIp() });
    for (let i = 0; i < 3; i += 1) {
      const failure = await callerFailure(
        signedIn.auth.changePassword({ currentPassword: 'not-it-123', newPassword: 'a new pass 42' }),
      );
      expect(failure.code).toBe('BAD_REQUEST');
    }
    const limited = await callerFailure(
      signedIn.auth.changePassword({ currentPassword: 'not-it-123', newPassword: 'a new pass 42' }),
    );
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
  });

  it('reset requests from other addresses do not block the owner’s reset', async () => {
    const { email } = await createTestUser(app.db);
    for (let i = 0; i < 5; i += 1) await app.caller({ ip: freshIp() }).auth.requestPasswordReset({ email });
    expect(await app.caller({ ip: freshIp() }).auth.requestPasswordReset({ email })).toEqual({ ok: true });
  });
});

describe('when Redis is configured but unreachable', () => {
  it('keeps limiting, per process, instead of letting everything through', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const limits = createRateLimits({
      prefix: 'unreachable',
      redisUrl: 'redis://127.0.0.1:1',
      rules: { loginPerIp: rule(2) },
    });
    try {
      await limits.consume('loginPerIp', '10.0.0.1');
      await limits.consume('loginPerIp', '10.0.0.1');
      await expect(limits.consume('loginPerIp', '10.0.0.1')).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
      });
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/Redis for rate limits is unreachable/));
    } finally {
      await limits.close();
      logged.mockRestore();
    }
  });
});

describe('ipKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:0db8:0001:0002::/64'],
    ['2001:DB8:1:2::9', '2001:0db8:0001:0002::/64'],
    ['2001:db8::1', '2001:0db8:0000:0000::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(ipKey(ip)).toBe(key);
  });
});
