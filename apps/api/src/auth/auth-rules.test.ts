import bcrypt from 'bcryptjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CookieJar, createBrowserClient } from '../testing/cookie-jar';
import { FakeClock } from '../testing/fake-clock';
import { tokenFromMail } from '../testing/smtp-test-server';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { httpFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { RATE_LIMIT_RULES } from './rate-limits';
import { SESSION_COOKIE } from './session-cookie';

// Token lifetimes, sessions and answers that must not reveal anything, over HTTP with a fake clock and
// the development outbox (no SMTP_URL).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = new FakeClock();
const roomy = { points: 1000, durationSeconds: 60, what: 'attempts' };
let app: TestApp;
let http: TestServer;

beforeAll(async () => {
  app = await createTestApp(
    { APP_URL: 'http://app.test' },
    {
      now: clock.now,
      rateLimitRules: { loginPerIp: roomy, loginPerEmail: roomy, registerPerIp: roomy, resetPerIp: roomy },
    },
  );
  http = await startTestServer(app);
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Mails to `email` once the work done after answering (resend, reset) has run. */
async function mailsTo(email: string) {
  await app.services.background.drain();
  return (app.services.devOutbox?.list() ?? []).filter((mail) => mail.to === email);
}

async function latestMailTo(email: string) {
  const mail = (await mailsTo(email))[0];
  if (!mail) throw new Error(`No mail to ${email}`);
  return mail;
}

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `rules-${counter}-${Date.now()}@example.test`;
}

/** Signs up through the API; `email` comes back as stored (trimmed, lower-case). */
async function registered(typed = uniqueEmail(), password = 'secret-pass-1') {
  await createBrowserClient(http.url).auth.register.mutate({ email: typed, password });
  const email = typed.trim().toLowerCase();
  return { email, password, token: tokenFromMail(await latestMailTo(email), '/verify-email') };
}

describe('verification and reset tokens', () => {
  it('a verification link works once and only for 24 hours; resend replaces it', async () => {
    const client = createBrowserClient(http.url);
    const first = await registered();
    const stored = await app.db.models.User.query().findOne({ email: first.email }).throwIfNotFound();
    expect(stored.verification_token).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.verification_token).not.toBe(first.token);

    clock.advance(DAY + 1000);
    const expired = await httpFailure(client.auth.verifyEmail.mutate({ token: first.token }));
    expect(expired.data?.code).toBe('BAD_REQUEST');
    expect(expired.message).toMatch(/invalid or has expired/);

    expect(await client.auth.resendVerification.mutate({ email: first.email })).toEqual({ ok: true });
    const second = tokenFromMail(await latestMailTo(first.email), '/verify-email');
    expect(second).not.toBe(first.token);
    clock.advance(DAY - 60_000);
    expect(await client.auth.verifyEmail.mutate({ token: second })).toEqual({ ok: true });
    const reused = await httpFailure(client.auth.verifyEmail.mutate({ token: second }));
    expect(reused.data?.code).toBe('BAD_REQUEST');
    expect(reused.message).toBe(expired.message);
  });

  it('a reset link works once and only for 1 hour; a newer request replaces it', async () => {
    const { user, email } = await createTestUser(app.db);
    const client = createBrowserClient(http.url);
    await client.auth.requestPasswordReset.mutate({ email });
    const first = tokenFromMail(await latestMailTo(email), '/reset-password');
    clock.advance(HOUR + 1000);
    const expired = await httpFailure(
      client.auth.resetPassword.mutate({ token: first, password: 'brand-new-1' }),
    );
    expect(expired.data?.code).toBe('BAD_REQUEST');

    await client.auth.requestPasswordReset.mutate({ email });
    const second = tokenFromMail(await latestMailTo(email), '/reset-password');
    await client.auth.requestPasswordReset.mutate({ email });
    const third = tokenFromMail(await latestMailTo(email), '/reset-password');
    const replaced = await httpFailure(
      client.auth.resetPassword.mutate({ token: second, password: 'brand-new-1' }),
    );
    expect(replaced.data?.code).toBe('BAD_REQUEST');

    expect(await client.auth.resetPassword.mutate({ token: third, password: 'brand-new-1' })).toEqual({
      ok: true,
    });
    const reused = await httpFailure(
      client.auth.resetPassword.mutate({ token: third, password: 'brand-new-2' }),
    );
    expect(reused.message).toBe(expired.message);
    const row = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(row).toMatchObject({ reset_token: null, reset_token_expires: null });
    expect(await bcrypt.compare('brand-new-1', row.password_hash)).toBe(true);
  });
});

describe('sign-in', () => {
  it('treats the email case-insensitively everywhere', async () => {
    await registered(' Mixed.Case-Person@Example.TEST ');
    expect(await app.db.models.User.query().where('email', 'mixed.case-person@example.test')).toHaveLength(1);
    const client = createBrowserClient(http.url);
    expect(
      await client.auth.login.mutate({ email: 'MIXED.case-person@example.test', password: 'secret-pass-1' }),
    ).toMatchObject({ email: 'mixed.case-person@example.test' });
    await client.auth.requestPasswordReset.mutate({ email: 'mixed.CASE-person@EXAMPLE.test' });
    expect((await latestMailTo('mixed.case-person@example.test')).subject).toBe(
      'Reset your CompareIntel password',
    );
  });

  it('answers a wrong password and an unknown email alike, after the same bcrypt work', async () => {
    const { email } = await createTestUser(app.db);
    const client = createBrowserClient(http.url);
    const compare = vi.spyOn(bcrypt, 'compare');
    const wrong = await httpFailure(client.auth.login.mutate({ email, password: 'not-the-password-1' }));
    expect(compare).toHaveBeenCalledTimes(1);
    const unknown = await httpFailure(
      client.auth.login.mutate({ email: uniqueEmail(), password: 'not-the-password-1' }),
    );
    expect(compare).toHaveBeenCalledTimes(2);
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect({ message: unknown.message, code: unknown.data?.code, status: unknown.data?.httpStatus }).toEqual({
      message: wrong.message,
      code: wrong.data?.code,
      status: wrong.data?.httpStatus,
    });
    expect(wrong.message).toBe('The email or password is not correct.');
  });

  it('refuses a deactivated account, and deactivation ends its sessions at once', async () => {
    const { user, email, password } = await createTestUser(app.db);
    const jar = new CookieJar();
    const client = createBrowserClient(http.url, jar);
    await client.auth.login.mutate({ email, password });
    await app.db.models.User.query().findById(user.id).patch({ is_active: false });

    expect(await client.auth.me.query()).toBeNull();
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect((await httpFailure(client.preferences.get.query())).data?.code).toBe('UNAUTHORIZED');

    const refused = await httpFailure(client.auth.login.mutate({ email, password }));
    expect(refused.data?.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/deactivated/);
    const wrong = await httpFailure(client.auth.login.mutate({ email, password: 'not-the-password-1' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');

    const before = (await mailsTo(email)).length;
    expect(await client.auth.requestPasswordReset.mutate({ email })).toEqual({ ok: true });
    expect(await mailsTo(email)).toHaveLength(before);
  });
});

describe('answers never reveal whether an email is registered', () => {
  it('requestPasswordReset and resendVerification answer the same; only real accounts get mail', async () => {
    const client = createBrowserClient(http.url);
    const known = await registered();
    const verified = await createTestUser(app.db);
    const unknown = uniqueEmail();
    const mailsBefore = app.services.devOutbox?.list().length ?? 0;

    const resets = await Promise.all(
      [known.email, verified.email, unknown].map((email) =>
        client.auth.requestPasswordReset.mutate({ email }),
      ),
    );
    const resends = await Promise.all(
      [known.email, verified.email, unknown].map((email) => client.auth.resendVerification.mutate({ email })),
    );
    expect(new Set([...resets, ...resends].map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([JSON.stringify({ ok: true })]),
    );
    // Resets for both accounts, a new verification link only for the unverified one, nothing for the stranger.
    await app.services.background.drain();
    expect((app.services.devOutbox?.list().length ?? 0) - mailsBefore).toBe(3);
    expect(await mailsTo(unknown)).toHaveLength(0);
  });
});

describe('sessions', () => {
  it('slide: the expiry moves forward at most once an hour; 30 idle days end the session', async () => {
    const { user, email, password } = await createTestUser(app.db);
    const jar = new CookieJar();
    const client = createBrowserClient(http.url, jar);
    const signedInAt = clock.now();
    await client.auth.login.mutate({ email, password });
    const firstCookie = jar.get(SESSION_COOKIE)?.setCookie;
    const [session] = await app.db.models.Session.query().where('user_id', user.id);
    expect(session?.expires_at.getTime()).toBe(signedInAt.getTime() + 30 * DAY);
    expect((await app.db.models.User.query().findById(user.id))?.last_access?.getTime()).toBe(
      signedInAt.getTime(),
    );

    clock.advance(20 * 60_000);
    expect(await client.auth.me.query()).toMatchObject({ email });
    const quiet = await app.db.models.Session.query().findById(session?.id ?? 0);
    expect(quiet?.last_seen_at.getTime()).toBe(signedInAt.getTime());
    expect(jar.get(SESSION_COOKIE)?.setCookie).toBe(firstCookie);
    expect((await app.db.models.User.query().findById(user.id))?.last_access?.getTime()).toBe(
      signedInAt.getTime(),
    );

    clock.advance(HOUR);
    const refreshedAt = clock.now();
    expect(await client.auth.me.query()).toMatchObject({ email });
    const slid = await app.db.models.Session.query().findById(session?.id ?? 0);
    expect(slid?.expires_at.getTime()).toBe(refreshedAt.getTime() + 30 * DAY);
    expect(jar.get(SESSION_COOKIE)?.setCookie).not.toBe(firstCookie);
    expect((await app.db.models.User.query().findById(user.id))?.last_access?.getTime()).toBe(
      refreshedAt.getTime(),
    );

    clock.advance(30 * DAY + 1000);
    expect(await client.auth.me.query()).toBeNull();
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
  });

  it('signing in again in the same browser replaces its session instead of leaving one behind', async () => {
    const { user, email, password } = await createTestUser(app.db);
    const jar = new CookieJar();
    const client = createBrowserClient(http.url, jar);
    await client.auth.login.mutate({ email, password });
    const first = jar.get(SESSION_COOKIE)?.value;
    await client.auth.login.mutate({ email, password });
    expect(jar.get(SESSION_COOKIE)?.value).not.toBe(first);
    expect(await app.db.models.Session.query().where('user_id', user.id)).toHaveLength(1);
  });

  it('a made-up or malformed cookie is a visitor, not an error', async () => {
    const client = createBrowserClient(http.url, new CookieJar(), {
      cookie: `${SESSION_COOKIE}=not-a-real-token`,
    });
    expect(await client.auth.me.query()).toBeNull();
    const bearer = createBrowserClient(http.url, new CookieJar(), {
      authorization: `Bearer ${'x'.repeat(5000)}`,
    });
    expect(await bearer.auth.me.query()).toBeNull();
  });
});

describe('development mail', () => {
  it('lists mail with clickable links at GET /dev/mail, and as JSON', async () => {
    const { email } = await registered();
    const page = await fetch(`${http.url}/dev/mail`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain(email);
    expect(html).toMatch(/<a href="http:\/\/app\.test\/verify-email\?token=[A-Za-z0-9_-]{43}">/);

    const json = (await (await fetch(`${http.url}/dev/mail?format=json`)).json()) as {
      mails: Array<{ to: string; subject: string; links: string[]; html: string }>;
    };
    const mail = json.mails.find((candidate) => candidate.to === email);
    expect(mail?.subject).toBe('Confirm your email for CompareIntel');
    expect(mail?.links[0]).toMatch(/^http:\/\/app\.test\/verify-email\?token=/);
    expect(mail?.html).toContain('<a href="http://app.test/verify-email?token=');
  });

  it('is not served in production, where the session cookie is also Secure', async () => {
    const production = await createTestApp({ NODE_ENV: 'production', WEB_DIST_DIR: '/nonexistent' });
    const server = await startTestServer(production);
    try {
      expect((await fetch(`${server.url}/dev/mail`)).status).toBe(404);
      expect(production.services.devOutbox).toBeNull();
      const { email, password } = await createTestUser(production.db);
      const jar = new CookieJar();
      await createBrowserClient(server.url, jar).auth.login.mutate({ email, password });
      expect(jar.get(SESSION_COOKIE)?.setCookie).toMatch(/; Secure/i);
    } finally {
      await server.close();
      await production.close();
    }
  });
});

it('uses the documented production limits by default', () => {
  expect(RATE_LIMIT_RULES.loginPerEmailIp).toMatchObject({ points: 10, durationSeconds: 900 });
  expect(RATE_LIMIT_RULES.loginPerIp).toMatchObject({ points: 30, durationSeconds: 900 });
  // The per-email ceiling is far higher: strangers elsewhere cannot use it to lock the owner out.
  expect(RATE_LIMIT_RULES.loginPerEmail).toMatchObject({ points: 100, durationSeconds: 3600 });
  expect(RATE_LIMIT_RULES.resetPerEmailIp).toMatchObject({ points: 5, durationSeconds: 3600 });
  expect(RATE_LIMIT_RULES.resetPerEmail).toMatchObject({ points: 50, durationSeconds: 3600 });
});
