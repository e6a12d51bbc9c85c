import { randomBytes } from 'node:crypto';
import type { User } from '@compareintel/db';
import { hasPermission, type StaffPermission } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createCaller } from '../router';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';
import { ACTORS, type ActorKind, auditRowsFor, createStaff } from './admin-testing';

type Caller = ReturnType<typeof createCaller>;

let app: TestApp;
const actors = new Map<ActorKind, { user: User; caller: Caller }>();

beforeAll(async () => {
  app = await createTestApp();
  for (const kind of ACTORS) {
    const user = await createStaff(app, kind);
    actors.set(kind, { user, caller: await app.callerAs(user) });
  }
});
afterAll(async () => {
  await app?.close();
});

async function plainUser(overrides: Partial<User> = {}) {
  return (await createTestUser(app.db, overrides)).user;
}

/** A fresh link to a plain user's conversation. */
async function sharedLinkId(): Promise<number> {
  const owner = await plainUser();
  const conversation = await app.db.models.Conversation.query().insert({
    user_id: owner.id,
    input_data: 'shared prompt',
    models_used: ['openai/gpt-4o-mini'],
    conversation_type: 'comparison',
  });
  const link = await app.db.models.SharedLink.query().insert({
    token: randomBytes(32).toString('base64url'),
    conversation_id: conversation.id,
    user_id: owner.id,
  });
  return link.id;
}

interface Case {
  name: string;
  permission: StaffPermission;
  write: boolean;
  call(caller: Caller): Promise<unknown>;
}

const today = new Date().toISOString().slice(0, 10);

const CASES: Case[] = [
  { name: 'users.list', permission: 'users.read', write: false, call: (c) => c.admin.users.list({}) },
  {
    name: 'users.get',
    permission: 'users.read',
    write: false,
    call: async (c) => c.admin.users.get({ id: (await plainUser()).id }),
  },
  {
    name: 'users.update',
    permission: 'users.write',
    write: true,
    call: async (c) => c.admin.users.update({ id: (await plainUser()).id, tier: 'pro' }),
  },
  {
    name: 'users.update (role)',
    permission: 'roles.grant',
    write: true,
    call: async (c) => c.admin.users.update({ id: (await plainUser()).id, role: 'moderator' }),
  },
  {
    name: 'users.resetCredits',
    permission: 'users.write',
    write: true,
    call: async (c) => c.admin.users.resetCredits({ id: (await plainUser()).id }),
  },
  {
    name: 'users.resendVerification',
    permission: 'users.write',
    write: true,
    call: async (c) => c.admin.users.resendVerification({ id: (await plainUser({ is_verified: false })).id }),
  },
  {
    name: 'users.delete',
    permission: 'users.delete',
    write: true,
    call: async (c) => c.admin.users.delete({ id: (await plainUser()).id }),
  },
  { name: 'shares.list', permission: 'content.moderate', write: false, call: (c) => c.admin.shares.list({}) },
  {
    name: 'shares.takeDown',
    permission: 'content.moderate',
    write: true,
    call: async (c) => c.admin.shares.takeDown({ id: await sharedLinkId(), reason: 'Test' }),
  },
  { name: 'audit.list', permission: 'audit.read', write: false, call: (c) => c.admin.audit.list({}) },
  { name: 'settings.get', permission: 'settings.read', write: false, call: (c) => c.admin.settings.get() },
  {
    name: 'settings.update',
    permission: 'settings.write',
    write: true,
    call: (c) => c.admin.settings.update({ anonymousMockMode: false }),
  },
  { name: 'models.list', permission: 'models.write', write: false, call: (c) => c.admin.models.list() },
  {
    name: 'models.setAvailability',
    permission: 'models.write',
    write: true,
    call: (c) => c.admin.models.setAvailability({ modelId: 'openai/gpt-4o-mini', available: true }),
  },
  {
    name: 'analytics.summary',
    permission: 'analytics.read',
    write: false,
    call: (c) => c.admin.analytics.summary({ from: today, to: today, granularity: 'day' }),
  },
  {
    name: 'analytics.byModel',
    permission: 'analytics.read',
    write: false,
    call: (c) => c.admin.analytics.byModel({ from: today, to: today }),
  },
];

async function outcomeOf(call: Promise<unknown>): Promise<'allowed' | string> {
  try {
    await call;
    return 'allowed';
  } catch (error) {
    // Any other failure shows up as its code, so a broken procedure cannot pass as "allowed".
    return error instanceof Error && 'code' in error ? String(error.code) : String(error);
  }
}

describe('admin procedures: role × permission matrix', () => {
  for (const testCase of CASES) {
    it(`${testCase.name} needs ${testCase.permission}`, async () => {
      const results: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const kind of ACTORS) {
        const actor = actors.get(kind);
        if (!actor) throw new Error(`no actor ${kind}`);
        results[kind] = await outcomeOf(testCase.call(actor.caller));
        expected[kind] = hasPermission(actor.user, testCase.permission) ? 'allowed' : 'FORBIDDEN';
      }
      expect(results).toEqual(expected);
    });
  }

  it('spells out who may do what', () => {
    const can = (kind: ActorKind, permission: StaffPermission) => {
      const actor = actors.get(kind);
      return actor ? hasPermission(actor.user, permission) : false;
    };
    expect(ACTORS.filter((kind) => can(kind, 'users.read'))).toEqual([
      'moderator',
      'narrowedModerator',
      'admin',
      'superAdmin',
    ]);
    expect(ACTORS.filter((kind) => can(kind, 'analytics.read'))).toEqual([
      'moderator',
      'admin',
      'superAdmin',
    ]);
    expect(ACTORS.filter((kind) => can(kind, 'users.write'))).toEqual(['admin', 'superAdmin']);
    expect(ACTORS.filter((kind) => can(kind, 'content.moderate'))).toEqual([
      'moderator',
      'admin',
      'superAdmin',
    ]);
    expect(ACTORS.filter((kind) => can(kind, 'roles.grant'))).toEqual(['admin', 'superAdmin']);
  });

  it('is UNAUTHORIZED for a visitor', async () => {
    await expect(app.caller().admin.users.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('audits a write refused at the gate, and only a write', async () => {
    const moderator = actors.get('moderator');
    if (!moderator) throw new Error('no moderator');
    const target = await plainUser();
    await expect(moderator.caller.admin.users.update({ id: target.id, role: 'admin' })).rejects.toMatchObject(
      {
        code: 'FORBIDDEN',
      },
    );
    const rows = await auditRowsFor(app, { targetId: target.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      admin_user_id: moderator.user.id,
      action_type: 'user.update',
      details: { outcome: 'refused', reason: 'Missing the users.write permission.' },
    });
    const before = await app.db.models.AdminActionLog.query().resultSize();
    await expect(actors.get('user')?.caller.admin.users.list({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await app.db.models.AdminActionLog.query().resultSize()).toBe(before);
  });
});
