import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { CookieJar, createBrowserClient } from '../testing/cookie-jar';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { callerFailure, httpFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

const A_MODEL = 'anthropic/claude-haiku-4.5';
const ANOTHER_MODEL = 'google/gemini-2.5-flash';

let app: TestApp;
let http: TestServer;
beforeAll(async () => {
  app = await createTestApp();
  http = await startTestServer(app);
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});

describe('preferences.get', () => {
  it('returns the defaults of a new account', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    expect(await caller.preferences.get()).toEqual({
      preferredModels: [],
      theme: 'light',
      emailNotifications: true,
      usageAlerts: true,
      timezone: null,
    });
  });

  it('creates the row for an account that has none (e.g. made by a script)', async () => {
    const { user } = await createTestUser(app.db);
    await app.db.models.UserPreference.query().where('user_id', user.id).delete();
    const caller = await app.callerAs(user);
    expect(await caller.preferences.get()).toMatchObject({ theme: 'light' });
    expect(await app.db.models.UserPreference.query().where('user_id', user.id)).toHaveLength(1);
  });

  it('is UNAUTHORIZED when signed out', async () => {
    expect((await callerFailure(app.caller().preferences.get())).code).toBe('UNAUTHORIZED');
    expect((await callerFailure(app.caller().preferences.update({ theme: 'dark' }))).code).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('preferences.update', () => {
  it('changes only the given fields, over HTTP, and keeps them', async () => {
    const { email, password, user } = await createTestUser(app.db);
    const jar = new CookieJar();
    const client = createBrowserClient(http.url, jar);
    await client.auth.login.mutate({ email, password });
    expect(jar.get(SESSION_COOKIE)).toBeDefined();

    expect(await client.preferences.update.mutate({ theme: 'dark', timezone: 'America/Chicago' })).toEqual({
      preferredModels: [],
      theme: 'dark',
      emailNotifications: true,
      usageAlerts: true,
      timezone: 'America/Chicago',
    });
    expect(
      await client.preferences.update.mutate({
        preferredModels: [A_MODEL, ANOTHER_MODEL],
        emailNotifications: false,
        usageAlerts: false,
      }),
    ).toEqual({
      preferredModels: [A_MODEL, ANOTHER_MODEL],
      theme: 'dark',
      emailNotifications: false,
      usageAlerts: false,
      timezone: 'America/Chicago',
    });
    expect(await client.preferences.update.mutate({})).toMatchObject({ theme: 'dark' });
    expect(await client.preferences.update.mutate({ timezone: null })).toMatchObject({ timezone: null });
    expect(await client.preferences.get.query()).toMatchObject({
      preferredModels: [A_MODEL, ANOTHER_MODEL],
      timezone: null,
    });

    const row = await app.db.models.UserPreference.query().findOne({ user_id: user.id });
    expect(row).toMatchObject({
      theme: 'dark',
      preferred_models: [A_MODEL, ANOTHER_MODEL],
      email_notifications: false,
    });
  });

  it('refuses an unknown time zone with a field message and writes nothing', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    const refused = await callerFailure(
      caller.preferences.update({ timezone: 'Europe/Atlantis', theme: 'dark' }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(await caller.preferences.get()).toMatchObject({ timezone: null, theme: 'light' });
  });

  it('refuses model ids the registry does not know, naming them in the field message', async () => {
    const { email, password } = await createTestUser(app.db);
    const client = createBrowserClient(http.url);
    await client.auth.login.mutate({ email, password });
    const refused = await httpFailure(
      client.preferences.update.mutate({ preferredModels: [A_MODEL, 'acme/not-a-model'], theme: 'dark' }),
    );
    expect(refused.data?.code).toBe('BAD_REQUEST');
    expect(refused.data?.zodError?.fieldErrors).toEqual({
      preferredModels: ['Unknown model: acme/not-a-model'],
    });
    expect(await client.preferences.get.query()).toMatchObject({ preferredModels: [], theme: 'light' });
  });

  it('a new time zone leaves the current pool reset time alone', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    const before = await caller.auth.me();
    await caller.preferences.update({ timezone: 'Pacific/Kiritimati' });
    expect((await caller.auth.me())?.credits.resetsAt).toBe(before?.credits.resetsAt);
  });
});
