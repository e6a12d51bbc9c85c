import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { auditRowsFor, createStaff } from './admin-testing';

let app: TestApp;
let caller: Awaited<ReturnType<TestApp['callerAs']>>;
beforeAll(async () => {
  app = await createTestApp();
  caller = await app.callerAs(await createStaff(app, 'admin'));
});
afterAll(async () => {
  await app?.close();
});

describe('admin.settings', () => {
  it('updates the one row, validates the provider config and never echoes the API key', async () => {
    const key = 'tvly-secret-key-123456';
    const updated = await caller.admin.settings.update({
      webSearchEnabled: true,
      anonymousMockMode: true,
      search: { provider: 'tavily', config: { apiKey: key, maxResults: 5 } },
    });
    expect(updated).toMatchObject({
      webSearchEnabled: true,
      anonymousMockMode: true,
      activeProvider: 'tavily',
      hasApiKey: true,
      providerConfig: { apiKey: '••••3456', maxResults: 5 },
    });
    expect(JSON.stringify(await caller.admin.settings.get())).not.toContain(key);
    const row = await app.db.models.AppSetting.query().findById(1).throwIfNotFound();
    expect(row.search_provider_config).toMatchObject({ apiKey: key });
    const audit = await auditRowsFor(app, { targetId: null });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.details)).not.toContain(key);
    expect(audit[0]?.details).toMatchObject({
      before: { webSearchEnabled: false },
      after: { webSearchEnabled: true },
    });

    // An omitted key keeps the stored one.
    await caller.admin.settings.update({
      search: { provider: 'tavily', config: { searchDepth: 'advanced' } },
    });
    expect((await app.db.models.AppSetting.query().findById(1))?.search_provider_config).toMatchObject({
      apiKey: key,
      searchDepth: 'advanced',
    });
  });

  it('is BAD_REQUEST for a config of the wrong provider, or web search without a key', async () => {
    const wrong = await callerFailure(
      // @ts-expect-error a Tavily option under Brave on purpose
      caller.admin.settings.update({ search: { provider: 'brave', config: { searchDepth: 'advanced' } } }),
    );
    expect(wrong.code).toBe('BAD_REQUEST');
    const unknown = await callerFailure(
      // @ts-expect-error an unknown provider on purpose
      caller.admin.settings.update({ search: { provider: 'bing', config: {} } }),
    );
    expect(unknown.code).toBe('BAD_REQUEST');
    const keyless = await callerFailure(
      caller.admin.settings.update({
        webSearchEnabled: true,
        search: { provider: 'brave', config: { country: 'US' } },
      }),
    );
    expect(keyless.code).toBe('BAD_REQUEST');
    expect((await app.db.models.AppSetting.query().findById(1))?.active_search_provider).toBe('tavily');
  });
});

describe('admin.models.setAvailability', () => {
  it('shows an unavailable model in models.list with the reason and refuses it at admission', async () => {
    const open = app.services.models.all().find((model) => model.access === 'anonymous');
    if (!open) throw new Error('the registry has no model open to everyone');
    const modelId = open.id;
    await caller.admin.models.setAvailability({ modelId, available: false, reason: 'Provider outage' });
    const { user } = await createTestUser(app.db);
    const member = await app.callerAs(user);
    const listed = (await member.models.list()).models.find((model) => model.id === modelId);
    expect(listed).toMatchObject({
      available: false,
      unavailableReason: expect.stringContaining('Provider outage'),
    });
    const refused = await callerFailure(member.compare.estimate({ models: [modelId], prompt: 'Hello' }));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('Provider outage');
    const anonymous = await callerFailure(
      app.caller().compare.estimate({ models: [modelId], prompt: 'Hello' }),
    );
    expect(anonymous.code).toBe('FORBIDDEN');

    await caller.admin.models.setAvailability({ modelId, available: true });
    expect((await member.models.list()).models.find((model) => model.id === modelId)?.available).toBe(true);
    await expect(member.compare.estimate({ models: [modelId], prompt: 'Hello' })).resolves.toBeDefined();
    const audit = await app.db.models.AdminActionLog.query()
      .where('action_type', 'model.availability')
      .orderBy('id');
    expect(audit.map((row) => row.details)).toEqual([
      {
        modelId,
        before: { available: true, reason: null },
        after: { available: false, reason: 'Provider outage' },
      },
      {
        modelId,
        before: { available: false, reason: 'Provider outage' },
        after: { available: true, reason: null },
      },
    ]);
  });

  it('is BAD_REQUEST for a model the registry does not know', async () => {
    const failure = await callerFailure(
      caller.admin.models.setAvailability({ modelId: 'nobody/nothing', available: false }),
    );
    expect(failure.code).toBe('BAD_REQUEST');
  });
});

describe('admin.audit.list', () => {
  it('filters by admin, target, action type and day, newest first', async () => {
    const superAdmin = await createStaff(app, 'superAdmin');
    const staffCaller = await app.callerAs(superAdmin);
    const { user: target } = await createTestUser(app.db);
    await staffCaller.admin.users.update({ id: target.id, tier: 'starter' });
    await staffCaller.admin.users.update({ id: target.id, mockMode: true });
    const byTarget = await staffCaller.admin.audit.list({ targetId: target.id });
    expect(byTarget).toMatchObject({ total: 2, page: 1, totalPages: 1 });
    expect(byTarget.rows.map((row) => row.details)).toEqual([
      { before: { mockMode: false }, after: { mockMode: true } },
      { before: { tier: 'free' }, after: { tier: 'starter' } },
    ]);
    expect(byTarget.rows[0]).toMatchObject({ adminEmail: superAdmin.email, targetEmail: target.email });
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await staffCaller.admin.audit.list({ adminId: superAdmin.id, from: today, to: today })).total,
    ).toBe(2);
    expect((await staffCaller.admin.audit.list({ adminId: superAdmin.id, to: '2000-01-01' })).total).toBe(0);
    expect(
      (await staffCaller.admin.audit.list({ actionType: 'user.delete', adminId: superAdmin.id })).total,
    ).toBe(0);
    expect((await callerFailure(staffCaller.admin.audit.list({ page: 0 }))).code).toBe('BAD_REQUEST');
  });
});
