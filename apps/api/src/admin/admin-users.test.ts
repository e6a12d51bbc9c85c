import type { User } from '@compareintel/db';
import { TIERS } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { createTestClient } from '../testing/trpc-client';
import { callerFailure, httpFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { auditRowsFor, createStaff } from './admin-testing';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function plainUser(overrides: Partial<User> = {}) {
  return (await createTestUser(app.db, overrides)).user;
}

async function reload(user: User) {
  return app.db.models.User.query().findById(user.id).throwIfNotFound();
}

describe('admin.users.update', () => {
  it('changes the tier with one audit row (before → after, IP, user agent) and resizes the pool', async () => {
    const admin = await createStaff(app, 'admin');
    const target = await plainUser({ credits_used_this_period: 40 });
    const caller = await app.callerAs(admin, { ip: '198.51.100.7', userAgent: 'staff-browser/1' });
    const detail = await caller.admin.users.update({ id: target.id, tier: 'pro' });
    expect(detail).toMatchObject({ tier: 'pro', creditsAllocated: TIERS.pro.credits });
    const row = await reload(target);
    expect(row.monthly_credits_allocated).toBe(TIERS.pro.credits);
    // Daily → monthly: the pool restarts at the next admission, on the new tier's schedule.
    expect(row.credits_reset_at?.getTime()).toBeLessThanOrEqual(Date.now());
    const audit = await auditRowsFor(app, { targetId: target.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      admin_user_id: admin.id,
      action_type: 'user.update',
      details: { before: { tier: 'free' }, after: { tier: 'pro' } },
      ip_address: '198.51.100.7',
      user_agent: 'staff-browser/1',
    });
    expect(audit[0]?.action_description).toContain('tier free → pro');
  });

  it('applies a tier change at the next admission: paid models open up and the pool follows the tier', async () => {
    const admin = await createStaff(app, 'admin');
    const target = await plainUser();
    const member = await app.callerAs(target);
    const paid = app.services.models.all().find((model) => model.access === 'paid');
    if (!paid) throw new Error('the registry has no paid model');
    const before = await callerFailure(member.compare.estimate({ models: [paid.id], prompt: 'Hello' }));
    expect(before.code).toBe('FORBIDDEN');
    await (await app.callerAs(admin)).admin.users.update({ id: target.id, tier: 'starter' });
    await expect(member.compare.estimate({ models: [paid.id], prompt: 'Hello' })).resolves.toBeDefined();
    expect((await member.credits.balance()).allocated).toBe(TIERS.starter.credits);
    // Monthly → monthly keeps the period running; only the pool size changes.
    await (await app.callerAs(admin)).admin.users.update({ id: target.id, tier: 'pro' });
    const row = await reload(target);
    expect(row.monthly_credits_allocated).toBe(TIERS.pro.credits);
    expect(row.credits_reset_at?.getTime()).toBeGreaterThan(Date.now());
  });

  it('keeps is_admin in step with the role and lets an admin make moderators', async () => {
    const admin = await createStaff(app, 'admin');
    const superAdmin = await createStaff(app, 'superAdmin');
    const target = await plainUser();
    await (await app.callerAs(admin)).admin.users.update({ id: target.id, role: 'moderator' });
    expect(await reload(target)).toMatchObject({ role: 'moderator', is_admin: false });
    await (await app.callerAs(superAdmin)).admin.users.update({ id: target.id, role: 'admin' });
    expect(await reload(target)).toMatchObject({ role: 'admin', is_admin: true });
    await (await app.callerAs(superAdmin)).admin.users.update({ id: target.id, role: 'user' });
    expect(await reload(target)).toMatchObject({ role: 'user', is_admin: false });
    const audit = await auditRowsFor(app, { targetId: target.id });
    expect(audit.map((row) => row.details)).toEqual([
      { before: { role: 'user' }, after: { role: 'moderator' } },
      { before: { role: 'moderator' }, after: { role: 'admin' } },
      { before: { role: 'admin' }, after: { role: 'user' } },
    ]);
  });

  it('lets only a super_admin grant or remove admin and super_admin, and audits the refusal', async () => {
    const admin = await createStaff(app, 'admin');
    const caller = await app.callerAs(admin);
    const target = await plainUser();
    const granting = await callerFailure(caller.admin.users.update({ id: target.id, role: 'admin' }));
    expect(granting.code).toBe('FORBIDDEN');
    expect(granting.message).toMatch(/only a super admin/i);
    const otherAdmin = await createStaff(app, 'admin');
    const removing = await callerFailure(caller.admin.users.update({ id: otherAdmin.id, role: 'user' }));
    expect(removing.code).toBe('FORBIDDEN');
    expect(await reload(target)).toMatchObject({ role: 'user' });
    expect(await reload(otherAdmin)).toMatchObject({ role: 'admin' });
    const refused = await auditRowsFor(app, { adminId: admin.id });
    expect(refused.map((row) => [row.target_user_id, row.details?.outcome])).toEqual([
      [target.id, 'refused'],
      [otherAdmin.id, 'refused'],
    ]);
    expect(refused[0]?.details).toMatchObject({ requested: { role: 'admin' } });
  });

  it('refuses anyone changing their own role or permissions, or deactivating themselves', async () => {
    const superAdmin = await createStaff(app, 'superAdmin');
    await createStaff(app, 'superAdmin'); // so the last-super-admin rule is not what refuses
    const caller = await app.callerAs(superAdmin);
    for (const change of [
      { role: 'admin' as const },
      { isActive: false },
      { permissions: ['users.read' as const] },
    ]) {
      const refused = await callerFailure(caller.admin.users.update({ id: superAdmin.id, ...change }));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toMatch(/your own/i);
    }
    expect(await reload(superAdmin)).toMatchObject({ role: 'super_admin', is_active: true });
    const rows = await auditRowsFor(app, { targetId: superAdmin.id });
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.details?.outcome === 'refused')).toBe(true);
    // Changing one's own tier or mock mode is fine.
    await caller.admin.users.update({ id: superAdmin.id, mockMode: true });
    expect(await reload(superAdmin)).toMatchObject({ mock_mode_enabled: true });
  });

  it('never demotes, deactivates or deletes the last active super_admin', async () => {
    const solo = await createTestApp();
    try {
      const { user: only } = await createTestUser(solo.db, { role: 'super_admin' });
      await createTestUser(solo.db, { role: 'super_admin', is_active: false });
      const caller = await solo.callerAs(only);
      // One at a time: each call starts only when the one before has been refused.
      for (const call of [
        () => caller.admin.users.update({ id: only.id, role: 'admin' }),
        () => caller.admin.users.update({ id: only.id, isActive: false }),
        () => caller.admin.users.delete({ id: only.id }),
      ]) {
        const refused = await callerFailure(call());
        expect(refused.code).toBe('FORBIDDEN');
        expect(refused.message).toMatch(/last active super admin/i);
      }
      expect(await solo.db.models.User.query().findById(only.id)).toMatchObject({
        role: 'super_admin',
        is_active: true,
      });
      expect(await solo.db.models.AdminActionLog.query().resultSize()).toBe(3);
    } finally {
      await solo.close();
    }
  });

  it('ends the sessions of a deactivated user at once', async () => {
    const admin = await createStaff(app, 'admin');
    const target = await plainUser();
    const server = await startTestServer(app);
    try {
      const { token } = await app.signIn(target);
      const client = createTestClient(server.url, () => ({ authorization: `Bearer ${token}` }));
      expect(await client.auth.me.query()).toMatchObject({ id: target.id });
      await (await app.callerAs(admin)).admin.users.update({ id: target.id, isActive: false });
      expect(await client.auth.me.query()).toBeNull();
      expect(await app.db.models.Session.query().where('user_id', target.id).resultSize()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('narrows a moderator within the role set and refuses a list that would widen it', async () => {
    const admin = await createStaff(app, 'admin');
    const caller = await app.callerAs(admin);
    const moderator = await createStaff(app, 'moderator');
    const narrowed = await caller.admin.users.update({ id: moderator.id, permissions: ['users.read'] });
    expect(narrowed.permissions).toEqual(['users.read']);
    const widening = await callerFailure(
      caller.admin.users.update({ id: moderator.id, permissions: ['users.write'] }),
    );
    expect(widening.code).toBe('BAD_REQUEST');
    expect((await reload(moderator)).admin_permissions).toEqual(['users.read']);
  });
});

describe('admin.users.resetCredits / resendVerification / delete', () => {
  it('resets period usage to 0 with a refund row in the ledger and one audit row', async () => {
    const admin = await createStaff(app, 'admin');
    const target = await plainUser({ credits_used_this_period: 37, total_credits_used: 90 });
    await (await app.callerAs(admin)).admin.users.resetCredits({ id: target.id });
    expect(await reload(target)).toMatchObject({ credits_used_this_period: 0, total_credits_used: 90 });
    const ledger = await app.db.models.CreditTransaction.query().where('user_id', target.id);
    expect(ledger).toMatchObject([{ transaction_type: 'refund', credits_amount: 37 }]);
    const audit = await auditRowsFor(app, { targetId: target.id });
    expect(audit).toMatchObject([
      {
        action_type: 'user.reset_credits',
        details: { before: { creditsUsed: 37 }, after: { creditsUsed: 0 } },
      },
    ]);
  });

  it('mails a new verification link without putting the token in the audit row', async () => {
    const admin = await createStaff(app, 'admin');
    const target = await plainUser({ is_verified: false });
    await (await app.callerAs(admin)).admin.users.resendVerification({ id: target.id });
    const row = await reload(target);
    expect(row.verification_token).toEqual(expect.any(String));
    const audit = await auditRowsFor(app, { targetId: target.id });
    expect(audit).toHaveLength(1);
    const text = JSON.stringify(audit[0]);
    expect(text).not.toContain(row.verification_token ?? 'never');
    expect(text).not.toMatch(/token=|password/i);
    const verified = await callerFailure(
      (await app.callerAs(admin)).admin.users.resendVerification({ id: admin.id }),
    );
    expect(verified.code).toBe('BAD_REQUEST');
  });

  it('deletes a user, keeps the audit row (target nulled, email kept) and never deletes oneself', async () => {
    const admin = await createStaff(app, 'admin');
    const caller = await app.callerAs(admin);
    const target = await plainUser();
    await caller.admin.users.delete({ id: target.id });
    expect(await app.db.models.User.query().findById(target.id)).toBeUndefined();
    const audit = await app.db.models.AdminActionLog.query().where({
      admin_user_id: admin.id,
      action_type: 'user.delete',
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_user_id: null, details: { before: { email: target.email } } });
    const self = await callerFailure(caller.admin.users.delete({ id: admin.id }));
    expect(self.code).toBe('FORBIDDEN');
    expect(await reload(admin)).toBeDefined();
    const superAdmin = await createStaff(app, 'superAdmin');
    expect((await callerFailure(caller.admin.users.delete({ id: superAdmin.id }))).code).toBe('FORBIDDEN');
    expect((await callerFailure(caller.admin.users.delete({ id: 999_999 }))).code).toBe('NOT_FOUND');
  });
});

describe('admin.users.list and bad input', () => {
  let server: TestServer;
  let client: ReturnType<typeof createTestClient>;
  let admin: User;
  const tag = `pg${Date.now().toString(36)}`;

  beforeAll(async () => {
    admin = await createStaff(app, 'superAdmin');
    server = await startTestServer(app);
    const { token } = await app.signIn(admin);
    client = createTestClient(server.url, () => ({ authorization: `Bearer ${token}` }));
    for (let index = 0; index < 7; index += 1) {
      await createTestUser(app.db, {
        email: `${tag}-${index}@Example.test`,
        subscription_tier: index % 2 === 0 ? 'starter' : 'free',
        is_verified: index !== 6,
      });
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('searches email case-insensitively, filters, sorts and pages (edges included)', async () => {
    const search = tag.toUpperCase();
    const first = await client.admin.users.list.query({ search, perPage: 3, page: 1, sort: 'email_asc' });
    expect(first).toMatchObject({ total: 7, page: 1, perPage: 3, totalPages: 3 });
    expect(first.rows.map((row) => row.email)).toEqual([0, 1, 2].map((i) => `${tag}-${i}@example.test`));
    const last = await client.admin.users.list.query({ search, perPage: 3, page: 3, sort: 'email_asc' });
    expect(last.rows.map((row) => row.email)).toEqual([`${tag}-6@example.test`]);
    const past = await client.admin.users.list.query({ search, perPage: 3, page: 4 });
    expect(past).toMatchObject({ rows: [], total: 7, totalPages: 3 });
    const widest = await client.admin.users.list.query({ search, perPage: 100 });
    expect(widest).toMatchObject({ perPage: 100, totalPages: 1 });
    expect((await httpFailure(client.admin.users.list.query({ perPage: 101 }))).data?.code).toBe(
      'BAD_REQUEST',
    );
    const exact = await client.admin.users.list.query({ search, perPage: 7 });
    expect(exact).toMatchObject({ totalPages: 1 });
    expect(exact.rows).toHaveLength(7);
    const starters = await client.admin.users.list.query({ search, tier: 'starter', verified: true });
    expect(starters.total).toBe(3);
    const desc = await client.admin.users.list.query({ search, sort: 'email_desc', perPage: 1 });
    expect(desc.rows[0]?.email).toBe(`${tag}-6@example.test`);
    const wildcard = await client.admin.users.list.query({ search: '%' });
    expect(wildcard.total).toBe(0);
    const none = await client.admin.users.list.query({ search: 'nobody-here-at-all' });
    expect(none).toMatchObject({ rows: [], total: 0, totalPages: 0 });
  });

  it('is BAD_REQUEST with field messages for bad input, and writes nothing', async () => {
    const target = await plainUser();
    const auditBefore = await app.db.models.AdminActionLog.query().resultSize();
    const cases: Array<[Promise<unknown>, string]> = [
      [client.admin.users.list.query({ page: 0 }), 'page'],
      [client.admin.users.list.query({ perPage: 10_000 }), 'perPage'],
      [client.admin.users.list.query({ search: 'x'.repeat(1_000_000) }), 'search'],
      // @ts-expect-error an unknown tier on purpose
      [client.admin.users.list.query({ tier: 'platinum' }), 'tier'],
      // @ts-expect-error an unknown role on purpose
      [client.admin.users.update.mutate({ id: target.id, role: 'owner' }), 'role'],
      // @ts-expect-error an unknown tier on purpose
      [client.admin.users.update.mutate({ id: target.id, tier: 'gold' }), 'tier'],
      [
        // @ts-expect-error an unknown permission on purpose
        client.admin.users.update.mutate({ id: target.id, permissions: ['users.everything'] }),
        'permissions.0',
      ],
    ];
    // Every call is in flight at once: each gets its handler now, so none fails unhandled while an
    // earlier one is still awaited.
    const failures = await Promise.all(cases.map(([call]) => httpFailure(call)));
    for (const [index, [, field]] of cases.entries()) {
      expect(failures[index]?.data?.code).toBe('BAD_REQUEST');
      expect(failures[index]?.data?.zodError?.fieldErrors[field]?.length, field).toBeGreaterThan(0);
    }
    expect(await app.db.models.AdminActionLog.query().resultSize()).toBe(auditBefore);
    expect(await reload(target)).toMatchObject({ role: 'user', subscription_tier: 'free' });
  });

  it('shows one user with usage and subscription fields', async () => {
    const target = await plainUser({ credits_used_this_period: 12, total_credits_used: 340 });
    for (let index = 0; index < 22; index += 1) {
      await app.db.models.UsageLog.query().insert({
        user_id: target.id,
        models_used: ['a/b'],
        credits_used: 1,
      });
    }
    const detail = await client.admin.users.get.query({ id: target.id });
    expect(detail.usage).toMatchObject({ creditsThisPeriod: 12, creditsLifetime: 340, comparisons: 22 });
    expect(detail.usage.recent).toHaveLength(20);
    expect(detail.subscription).toMatchObject({
      status: 'active',
      period: 'monthly',
      hasStripeCustomer: false,
    });
    expect(JSON.stringify(detail)).not.toMatch(/password|hash|verification_?token|reset_?token/i);
  });
});

describe('admin.users.get and billing (issue 11)', () => {
  it('shows the user’s subscription history and payments, newest first', async () => {
    const moderator = await createStaff(app, 'moderator');
    const target = await plainUser({ subscription_tier: 'starter' });
    await app.db.models.SubscriptionHistory.query().insert({
      user_id: target.id,
      previous_tier: 'free',
      new_tier: 'starter',
      period: 'monthly',
      amount_paid: 9,
      stripe_payment_id: 'in_1',
      reason: 'initial',
    });
    await app.db.models.SubscriptionHistory.query().insert({
      user_id: target.id,
      previous_tier: 'starter',
      new_tier: 'pro',
      period: 'monthly',
      amount_paid: 39,
      stripe_payment_id: 'in_2',
      reason: 'upgrade',
    });
    await app.db.models.PaymentTransaction.query().insert({
      user_id: target.id,
      stripe_payment_intent_id: 'in_1',
      amount: 9,
      currency: 'usd',
      status: 'succeeded',
      description: 'Starter monthly',
    });
    const detail = await (await app.callerAs(moderator)).admin.users.get({ id: target.id });
    expect(detail.billing.history.map((row) => [row.newTier, row.reason, row.amountPaid])).toEqual([
      ['pro', 'upgrade', 39],
      ['starter', 'initial', 9],
    ]);
    expect(detail.billing.payments).toMatchObject([{ amount: 9, currency: 'usd', status: 'succeeded' }]);
  });
});
