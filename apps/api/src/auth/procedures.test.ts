import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextForToken, createContextInner } from '../context';
import { createCaller } from '../router';
import { createTestApp, type TestApp } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { authedProcedure, createCallerFactory, router, staffProcedure, verifiedProcedure } from '../trpc';
import { MemorySessionCookie } from './session-cookie';

// The procedure builders every later issue uses, on a router of their own.
const probeRouter = router({
  authed: authedProcedure.query(({ ctx }) => ctx.user.email),
  verified: verifiedProcedure.query(({ ctx }) => ctx.user.id),
  usersWrite: staffProcedure('users.write').query(() => 'granted'),
  analytics: staffProcedure('analytics.read').query(() => 'granted'),
});
const createProbe = createCallerFactory(probeRouter);

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function probeAs(overrides: Parameters<typeof createTestUser>[1] = {}) {
  const { user } = await createTestUser(app.db, overrides);
  const { session } = await app.signIn(user);
  return createProbe(createContextInner(app.services, {}, { user, session }));
}

describe('authedProcedure', () => {
  it('is UNAUTHORIZED for a visitor and lets a signed-in user through with a non-null ctx.user', async () => {
    const visitor = createProbe(createContextInner(app.services));
    const refused = await callerFailure(visitor.authed());
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(refused.message).toBe('Please sign in to continue.');
    const { user } = await createTestUser(app.db);
    expect(await createProbe(createContextInner(app.services, {}, { user })).authed()).toBe(user.email);
  });

  it('is UNAUTHORIZED for an inactive user even if handed one directly', async () => {
    const probe = await probeAs({ is_active: false });
    expect((await callerFailure(probe.authed())).code).toBe('UNAUTHORIZED');
  });
});

describe('verifiedProcedure', () => {
  it('is FORBIDDEN, with a sentence saying what to do, until the email is verified', async () => {
    const unverified = await probeAs({ is_verified: false });
    const refused = await callerFailure(unverified.verified());
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/verify your email/i);
    expect(await (await probeAs()).verified()).toEqual(expect.any(Number));
  });
});

describe('staffProcedure(permission)', () => {
  it.each([
    { role: 'user', admin_permissions: null, usersWrite: false, analytics: false },
    { role: 'moderator', admin_permissions: null, usersWrite: false, analytics: true },
    // A list only narrows a role's set (issue 10): it cannot give a moderator users.write.
    { role: 'moderator', admin_permissions: ['users.write'], usersWrite: false, analytics: false },
    { role: 'admin', admin_permissions: null, usersWrite: true, analytics: true },
    { role: 'admin', admin_permissions: ['analytics.read'], usersWrite: false, analytics: true },
    { role: 'super_admin', admin_permissions: ['analytics.read'], usersWrite: true, analytics: true },
  ])('$role with $admin_permissions: users.write $usersWrite, analytics.read $analytics', async (row) => {
    const probe = await probeAs({
      role: row.role,
      is_admin: row.role === 'admin' || row.role === 'super_admin',
      admin_permissions: row.admin_permissions,
    });
    for (const [call, allowed] of [
      [() => probe.usersWrite(), row.usersWrite],
      [() => probe.analytics(), row.analytics],
    ] as const) {
      if (allowed) expect(await call()).toBe('granted');
      else expect((await callerFailure(call())).code).toBe('FORBIDDEN');
    }
  });

  it('is UNAUTHORIZED (not FORBIDDEN) for a visitor', async () => {
    const visitor = createProbe(createContextInner(app.services));
    expect((await callerFailure(visitor.usersWrite())).code).toBe('UNAUTHORIZED');
  });
});

describe('auth through createCaller', () => {
  it('login puts the token in the caller cookie; logout clears it and ends the session', async () => {
    const { user, email, password } = await createTestUser(app.db);
    const cookies = new MemorySessionCookie();
    await createCaller(createContextInner(app.services, {}, { cookies })).auth.login({ email, password });
    expect(cookies.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const request = { token: cookies.token, fromCookie: true, request: {}, cookies };
    const signedIn = createCaller(await createContextForToken(app.services, request));
    expect(await signedIn.auth.me()).toMatchObject({ id: user.id, email });
    expect(await signedIn.auth.logout()).toEqual({ ok: true });
    expect(cookies.token).toBeNull();
    expect(await app.db.models.Session.query().where('user_id', user.id)).toHaveLength(0);
  });

  it('me shows the credit pool, and a pool past its reset time as the fresh pool it already is', async () => {
    const current = await createTestUser(app.db, { credits_used_this_period: 40 });
    expect((await (await app.callerAs(current.user)).auth.me())?.credits).toMatchObject({
      allocated: 100,
      used: 40,
      remaining: 60,
      period: 'day',
      resetsAt: current.user.credits_reset_at?.toISOString(),
    });

    const due = await createTestUser(app.db, {
      credits_used_this_period: 100,
      credits_reset_at: new Date(Date.now() - 1000),
    });
    await app.db.models.UserPreference.query()
      .where('user_id', due.user.id)
      .patch({ timezone: 'Asia/Tokyo' });
    const credits = (await (await app.callerAs(due.user)).auth.me())?.credits;
    expect(credits).toMatchObject({ allocated: 100, used: 0, remaining: 100 });
    // The next midnight in Tokyo (UTC+9, no DST) is 15:00 UTC.
    expect(credits?.resetsAt).toMatch(/T15:00:00\.000Z$/);
  });

  it('deleteAccount refuses the only super admin', async () => {
    await app.db.models.User.query().where('role', 'super_admin').patch({ role: 'admin' });
    const { user, password } = await createTestUser(app.db, { role: 'super_admin', is_admin: true });
    const caller = await app.callerAs(user);
    const refused = await callerFailure(caller.auth.deleteAccount({ password }));
    expect(refused.code).toBe('FORBIDDEN');
    await createTestUser(app.db, { role: 'super_admin', is_admin: true });
    expect(await caller.auth.deleteAccount({ password })).toEqual({ ok: true });
  });

  it('changePassword with a wrong current password names the field and changes nothing', async () => {
    const { user } = await createTestUser(app.db);
    const caller = await app.callerAs(user);
    const refused = await callerFailure(
      caller.auth.changePassword({ currentPassword: 'not-it-1', newPassword: 'another-one-2' }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    const row = await app.db.models.User.query().findById(user.id);
    expect(row?.password_hash).toBe(user.password_hash);
  });
});
