import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, createBearerClient, createBrowserClient } from '../testing/cookie-jar';
import { type SmtpTestServer, startSmtpTestServer, tokenFromMail } from '../testing/smtp-test-server';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { httpFailure } from '../testing/trpc-errors';
import { SESSION_COOKIE } from './session-cookie';

// Every procedure over real HTTP with a cookie jar, and mail through a real SMTP server on 127.0.0.1.

let smtp: SmtpTestServer;
let app: TestApp;
let http: TestServer;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  app = await createTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://app.test' });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http?.close();
  await app?.close();
  await smtp?.close();
});

let counter = 0;
function uniqueEmail(): string {
  counter += 1;
  return `journey-${counter}-${Date.now()}@example.test`;
}

describe('the account journey over HTTP', () => {
  it('register → mailed link → verify → login → me → change password → logout → me is null', async () => {
    const jar = new CookieJar();
    const browser = createBrowserClient(http.url, jar);
    const email = uniqueEmail();

    expect(await browser.auth.register.mutate({ email, password: 'first-pass-1' })).toEqual({ ok: true });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();

    const mail = await smtp.nextMailTo(email);
    expect(mail.source).toContain('Subject: Confirm your email for CompareIntel');
    expect(mail.source).toContain('Content-Type: text/plain');
    expect(mail.source).toContain('Content-Type: text/html');
    expect(mail.source).toContain('http://app.test/verify-email?token=');
    const token = tokenFromMail(mail, '/verify-email');

    // Unverified users may sign in, with the anonymous limits.
    const before = await browser.auth.login.mutate({ email, password: 'first-pass-1' });
    expect(before).toMatchObject({
      email,
      isVerified: false,
      tier: 'free',
      limitsTier: 'anonymous',
      role: 'user',
    });
    expect(before.credits).toMatchObject({ allocated: 50, used: 0, remaining: 50, period: 'day' });

    const cookie = jar.get(SESSION_COOKIE);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.setCookie).toMatch(/HttpOnly/i);
    expect(cookie?.setCookie).toMatch(/SameSite=Lax/i);
    expect(cookie?.setCookie).toMatch(/Path=\//);
    expect(cookie?.setCookie).not.toMatch(/Secure/i);
    // Only the hash is stored.
    const stored = await app.db.models.Session.query();
    expect(stored.map((session) => session.token_hash)).not.toContain(cookie?.value);
    expect(stored.every((session) => /^[0-9a-f]{64}$/.test(session.token_hash))).toBe(true);

    expect(await browser.auth.verifyEmail.mutate({ token })).toEqual({ ok: true });

    const me = await browser.auth.me.query();
    expect(me).toMatchObject({ email, isVerified: true, limitsTier: 'free', isActive: true, isAdmin: false });
    expect(me?.credits).toMatchObject({ allocated: 100, used: 0, remaining: 100, period: 'day' });
    expect(me?.credits.resetsAt).toMatch(/T00:00:00\.000Z$/);

    // A second browser signed in as the same user loses its session when the password changes.
    const otherBrowser = createBrowserClient(http.url);
    await otherBrowser.auth.login.mutate({ email, password: 'first-pass-1' });
    expect(await otherBrowser.auth.me.query()).not.toBeNull();

    expect(
      await browser.auth.changePassword.mutate({
        currentPassword: 'first-pass-1',
        newPassword: 'second-pass-2',
      }),
    ).toEqual({ ok: true });
    expect(await browser.auth.me.query()).toMatchObject({ email });
    expect(await otherBrowser.auth.me.query()).toBeNull();
    expect((await smtp.nextMailTo(email)).source).toContain('Your CompareIntel password was changed');

    expect(await browser.auth.logout.mutate()).toEqual({ ok: true });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(await browser.auth.me.query()).toBeNull();

    const old = await httpFailure(browser.auth.login.mutate({ email, password: 'first-pass-1' }));
    expect(old.data?.code).toBe('UNAUTHORIZED');
    await browser.auth.login.mutate({ email, password: 'second-pass-2' });
    expect(await browser.auth.me.query()).toMatchObject({ email });
  });

  it('reset journey: mailed link → new password; every session of the account ends', async () => {
    const email = uniqueEmail();
    const browser = createBrowserClient(http.url);
    await browser.auth.register.mutate({ email, password: 'before-reset-1' });
    await smtp.nextMailTo(email);
    await browser.auth.login.mutate({ email, password: 'before-reset-1' });
    const bearer = await createBrowserClient(http.url).auth.createToken.mutate({
      email,
      password: 'before-reset-1',
    });

    const forgetful = createBrowserClient(http.url);
    expect(await forgetful.auth.requestPasswordReset.mutate({ email: email.toUpperCase() })).toEqual({
      ok: true,
    });
    const mail = await smtp.nextMailTo(email);
    expect(mail.source).toContain('Reset your CompareIntel password');
    const token = tokenFromMail(mail, '/reset-password');

    expect(await forgetful.auth.resetPassword.mutate({ token, password: 'after-reset-2' })).toEqual({
      ok: true,
    });
    expect(await browser.auth.me.query()).toBeNull();
    expect(await createBearerClient(http.url, bearer.token).auth.me.query()).toBeNull();
    expect(
      await app.db.models.Session.query().whereIn(
        'user_id',
        app.db.models.User.query().select('id').where({ email }),
      ),
    ).toHaveLength(0);

    const reused = await httpFailure(
      forgetful.auth.resetPassword.mutate({ token, password: 'third-pass-3' }),
    );
    expect(reused.data?.code).toBe('BAD_REQUEST');
    expect(
      (await httpFailure(forgetful.auth.login.mutate({ email, password: 'before-reset-1' }))).data?.code,
    ).toBe('UNAUTHORIZED');
    // Following the mailed link proved the address.
    expect(await forgetful.auth.login.mutate({ email, password: 'after-reset-2' })).toMatchObject({
      isVerified: true,
    });
  });

  it('bearer token for typed internal clients: createToken → me → logout ends it', async () => {
    const email = uniqueEmail();
    const jar = new CookieJar();
    const anonymous = createBrowserClient(http.url, jar);
    await anonymous.auth.register.mutate({ email, password: 'bearer-pass-1' });
    const { token, expiresAt } = await anonymous.auth.createToken.mutate({
      email,
      password: 'bearer-pass-1',
    });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const script = createBearerClient(http.url, token);
    expect(await script.auth.me.query()).toMatchObject({ email });
    expect(await script.preferences.get.query()).toMatchObject({ theme: 'light', preferredModels: [] });
    expect(await script.auth.logout.mutate()).toEqual({ ok: true });
    expect(await script.auth.me.query()).toBeNull();
    expect((await httpFailure(script.preferences.get.query())).data?.code).toBe('UNAUTHORIZED');
  });

  it("a new account starts with the browser's theme and time zone: no theme flip, refills at local midnight", async () => {
    const email = uniqueEmail();
    const browser = createBrowserClient(http.url, new CookieJar());
    const bad = await httpFailure(
      browser.auth.register.mutate({ email, password: 'zone-pass-1', timezone: 'Mars/Olympus_Mons' }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.zodError?.fieldErrors?.timezone).toEqual(['Unknown time zone']);
    expect(await app.db.models.User.query().where({ email })).toHaveLength(0);

    const before = new Date();
    expect(
      await browser.auth.register.mutate({
        email,
        password: 'zone-pass-1',
        theme: 'system',
        timezone: 'Asia/Tokyo',
      }),
    ).toEqual({ ok: true });
    await smtp.nextMailTo(email);
    const me = await browser.auth.login.mutate({ email, password: 'zone-pass-1' });
    expect(await browser.preferences.get.query()).toMatchObject({ theme: 'system', timezone: 'Asia/Tokyo' });
    // Midnight in Tokyo is 15:00 UTC.
    const refill = new Date(me.credits.resetsAt ?? '');
    expect(refill.getUTCHours()).toBe(15);
    expect(refill.getTime() - before.getTime()).toBeGreaterThan(0);
    expect(refill.getTime() - before.getTime()).toBeLessThanOrEqual(24 * 3_600_000);

    // Without them (an older client, a script), the defaults: light, UTC.
    const plain = uniqueEmail();
    await browser.auth.register.mutate({ email: plain, password: 'zone-pass-1' });
    await smtp.nextMailTo(plain);
    const other = await browser.auth.login.mutate({ email: plain, password: 'zone-pass-1' });
    expect(await browser.preferences.get.query()).toMatchObject({ theme: 'light', timezone: null });
    expect(new Date(other.credits.resetsAt ?? '').getUTCHours()).toBe(0);
  });

  it('duplicate registration: same answer, one account, and the owner is told instead', async () => {
    const email = uniqueEmail();
    const first = createBrowserClient(http.url);
    expect(await first.auth.register.mutate({ email, password: 'owner-pass-1' })).toEqual({ ok: true });
    await smtp.nextMailTo(email);

    const intruder = createBrowserClient(http.url);
    expect(
      await intruder.auth.register.mutate({ email: ` ${email.toUpperCase()} `, password: 'intruder-pass-2' }),
    ).toEqual({ ok: true });
    expect((await smtp.nextMailTo(email)).source).toContain('You already have a CompareIntel account');
    expect(await app.db.models.User.query().where({ email })).toHaveLength(1);

    expect(await first.auth.login.mutate({ email, password: 'owner-pass-1' })).toMatchObject({ email });
    const refused = await httpFailure(intruder.auth.login.mutate({ email, password: 'intruder-pass-2' }));
    expect(refused.data?.code).toBe('UNAUTHORIZED');
  });

  it('deleteAccount removes the user with its cascades and ends its sessions; usage logs stay, nulled', async () => {
    const email = uniqueEmail();
    const jar = new CookieJar();
    const browser = createBrowserClient(http.url, jar);
    await browser.auth.register.mutate({ email, password: 'delete-me-1' });
    const user = await app.db.models.User.query().findOne({ email }).throwIfNotFound();
    const log = await app.db.models.UsageLog.query().insert({
      user_id: user.id,
      models_used: ['a/b'],
      input_length: 5,
      models_requested: 1,
      models_successful: 1,
      models_failed: 0,
    });
    await browser.auth.login.mutate({ email, password: 'delete-me-1' });
    const second = createBrowserClient(http.url);
    await second.auth.login.mutate({ email, password: 'delete-me-1' });

    const wrong = await httpFailure(browser.auth.deleteAccount.mutate({ password: 'not-my-pass-1' }));
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.data?.zodError?.fieldErrors).toEqual({
      password: ['Your current password is not correct.'],
    });

    expect(await browser.auth.deleteAccount.mutate({ password: 'delete-me-1' })).toEqual({ ok: true });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(await second.auth.me.query()).toBeNull();
    expect(await app.db.models.User.query().findById(user.id)).toBeUndefined();
    expect(await app.db.models.UserPreference.query().where('user_id', user.id)).toHaveLength(0);
    expect(await app.db.models.Session.query().where('user_id', user.id)).toHaveLength(0);
    expect(await app.db.models.UsageLog.query().findById(log.id)).toMatchObject({ user_id: null });
  });
});
