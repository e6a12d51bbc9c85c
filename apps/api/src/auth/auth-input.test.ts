import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';
import { SESSION_COOKIE } from './session-cookie';

// Bad input to every procedure that takes input, over raw HTTP (the typed client would not let us send
// wrong types): BAD_REQUEST, a sentence per field in `data.zodError.fieldErrors`, and nothing written.

const MEGABYTE = 'a'.repeat(1024 * 1024);
const LONG_EMAIL = `${'a'.repeat(250)}@example.test`;

interface Case {
  input: unknown;
  /** Fields that must carry a message. */
  fields: string[];
}

const emailCases: Case[] = [
  { input: {}, fields: ['email'] },
  { input: { email: '' }, fields: ['email'] },
  { input: { email: 'not-an-email' }, fields: ['email'] },
  { input: { email: LONG_EMAIL }, fields: ['email'] },
  { input: { email: 42 }, fields: ['email'] },
  { input: { email: ['a@example.test'] }, fields: ['email'] },
  { input: { email: `${MEGABYTE}@example.test` }, fields: ['email'] },
];

const credentialCases: Case[] = [
  { input: {}, fields: ['email', 'password'] },
  { input: { email: '', password: '' }, fields: ['email', 'password'] },
  { input: { email: 'someone@example.test', password: 'p'.repeat(129) }, fields: ['password'] },
  { input: { email: 'someone@example.test', password: 12345678 }, fields: ['password'] },
  { input: { email: null, password: null }, fields: ['email', 'password'] },
  { input: { email: MEGABYTE, password: 'x' }, fields: ['email'] },
  { input: { email: 'someone@example.test', password: MEGABYTE }, fields: ['password'] },
];

const tokenCases: Case[] = [
  { input: {}, fields: ['token'] },
  { input: { token: '' }, fields: ['token'] },
  { input: { token: 'short' }, fields: ['token'] },
  { input: { token: 't'.repeat(257) }, fields: ['token'] },
  { input: { token: { $ne: null } }, fields: ['token'] },
  { input: { token: MEGABYTE }, fields: ['token'] },
];

const newPasswordCases: Case[] = [
  { input: { email: 'new@example.test', password: 'short1' }, fields: ['password'] },
  { input: { email: 'new@example.test', password: 'onlyletters' }, fields: ['password'] },
  { input: { email: 'new@example.test', password: '1234567890' }, fields: ['password'] },
];

const PROCEDURES: Array<{ path: string; authed: boolean; cases: Case[] }> = [
  { path: 'auth.register', authed: false, cases: [...credentialCases, ...newPasswordCases] },
  { path: 'auth.login', authed: false, cases: credentialCases },
  { path: 'auth.createToken', authed: false, cases: credentialCases },
  { path: 'auth.verifyEmail', authed: false, cases: tokenCases },
  { path: 'auth.resendVerification', authed: false, cases: emailCases },
  { path: 'auth.requestPasswordReset', authed: false, cases: emailCases },
  {
    path: 'auth.resetPassword',
    authed: false,
    cases: [
      ...tokenCases.map((c) => ({
        input: { ...Object(c.input), password: 'valid-pass-1' },
        fields: c.fields,
      })),
      { input: { token: 'x'.repeat(43), password: 'short' }, fields: ['password'] },
      { input: { token: 'x'.repeat(43), password: MEGABYTE }, fields: ['password'] },
    ],
  },
  {
    path: 'auth.changePassword',
    authed: true,
    cases: [
      { input: {}, fields: ['currentPassword', 'newPassword'] },
      { input: { currentPassword: '', newPassword: '' }, fields: ['currentPassword', 'newPassword'] },
      { input: { currentPassword: 'same-pass-1', newPassword: 'same-pass-1' }, fields: ['newPassword'] },
      { input: { currentPassword: 'whatever-1', newPassword: 'nodigits' }, fields: ['newPassword'] },
      { input: { currentPassword: 1, newPassword: true }, fields: ['currentPassword', 'newPassword'] },
      { input: { currentPassword: MEGABYTE, newPassword: 'valid-pass-1' }, fields: ['currentPassword'] },
      { input: { currentPassword: 'whatever-1', newPassword: MEGABYTE }, fields: ['newPassword'] },
    ],
  },
  {
    path: 'auth.deleteAccount',
    authed: true,
    cases: [
      { input: {}, fields: ['password'] },
      { input: { password: '' }, fields: ['password'] },
      { input: { password: 42 }, fields: ['password'] },
      { input: { password: MEGABYTE }, fields: ['password'] },
    ],
  },
  {
    path: 'preferences.update',
    authed: true,
    cases: [
      { input: { theme: 'blue' }, fields: ['theme'] },
      { input: { theme: '' }, fields: ['theme'] },
      { input: { timezone: 'Mars/Olympus_Mons' }, fields: ['timezone'] },
      { input: { timezone: '' }, fields: ['timezone'] },
      { input: { timezone: MEGABYTE }, fields: ['timezone'] },
      { input: { timezone: 5 }, fields: ['timezone'] },
      { input: { emailNotifications: 'yes', usageAlerts: 1 }, fields: ['emailNotifications', 'usageAlerts'] },
      { input: { preferredModels: 'openai/gpt-4o' }, fields: ['preferredModels'] },
      { input: { preferredModels: [MEGABYTE] }, fields: ['preferredModels'] },
      {
        input: { preferredModels: Array.from({ length: 13 }, (_, i) => `vendor/model-${i}`) },
        fields: ['preferredModels'],
      },
      { input: { preferredModels: ['openai/gpt-4o', 'openai/gpt-4o'] }, fields: ['preferredModels'] },
    ],
  },
];

let app: TestApp;
let http: TestServer;
let sessionCookie: string;

beforeAll(async () => {
  app = await createTestApp();
  http = await startTestServer(app);
  const { user } = await createTestUser(app.db, { email: 'someone@example.test' });
  const { token } = await app.signIn(user);
  sessionCookie = `${SESSION_COOKIE}=${token}`;
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});

/** Everything a procedure could have written. */
async function snapshot() {
  const count = async (table: string) => Number((await app.db.knex(table).count({ n: '*' }).first())?.n ?? 0);
  return {
    users: await app.db
      .knex('users')
      .select('id', 'password_hash', 'is_verified', 'updated_at')
      .orderBy('id'),
    sessions: await count('sessions'),
    preferences: await app.db.knex('user_preferences').select().orderBy('id'),
    mails: app.services.devOutbox?.list().length,
  };
}

interface ErrorBody {
  error: {
    message: string;
    data: { code: string; zodError: { fieldErrors: Record<string, string[]> } | null };
  };
}

async function post(path: string, input: unknown, authed: boolean) {
  const response = await fetch(`${http.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authed ? { cookie: sessionCookie } : {}) },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe.each(PROCEDURES)('$path with bad input', ({ path, authed, cases }) => {
  it.each(cases.map((c) => ({ ...c, label: JSON.stringify(c.input).slice(0, 60) })))(
    'rejects $label',
    async ({ input, fields }) => {
      const before = await snapshot();
      const { status, body } = await post(path, input, authed);
      expect(status).toBe(400);
      expect(body.error.data.code).toBe('BAD_REQUEST');
      const fieldErrors = body.error.data.zodError?.fieldErrors ?? {};
      for (const field of fields) {
        // Keyed by dotted path: `preferredModels` or, for one item, `preferredModels.0`.
        const messages = Object.entries(fieldErrors)
          .filter(([key]) => key === field || key.startsWith(`${field}.`))
          .flatMap(([, list]) => list);
        expect(messages, `${field} in ${JSON.stringify(fieldErrors)}`).toEqual(
          expect.arrayContaining([expect.any(String)]),
        );
      }
      // Messages are sentences for people, never the megabyte echoed back.
      expect(JSON.stringify(body).length).toBeLessThan(5000);
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('input the server will not read', () => {
  it('a body over 2 MB is refused before any procedure runs', async () => {
    const before = await snapshot();
    const { status } = await post('auth.register', { email: MEGABYTE, password: `${MEGABYTE}1` }, false);
    expect(status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it.each(['auth.register', 'auth.login'])('%s with broken JSON answers BAD_REQUEST', async (path) => {
    const response = await fetch(`${http.url}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(response.status).toBe(400);
  });
});

describe('procedures that take no input', () => {
  it('ignore whatever is sent', async () => {
    const me = await fetch(`${http.url}/trpc/auth.me?input=${encodeURIComponent(JSON.stringify({ x: 1 }))}`, {
      headers: { cookie: sessionCookie },
    });
    expect(((await me.json()) as { result: { data: { email: string } } }).result.data.email).toBe(
      'someone@example.test',
    );
    const preferences = await fetch(`${http.url}/trpc/preferences.get?input=%5B1%5D`, {
      headers: { cookie: sessionCookie },
    });
    expect(preferences.status).toBe(200);
    const logout = await post('auth.logout', { everything: MEGABYTE }, false);
    expect(logout.status).toBe(200);
  });
});
