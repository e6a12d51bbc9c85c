import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User } from '@compareintel/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../admin/admin-testing';
import { createSavedComparison, MODEL_A, MODEL_B } from '../testing/conversation-factory';
import { FakeClock } from '../testing/fake-clock';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';
import { DEAD_LINK } from './read-shared-conversation';

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="description" content="CompareIntel — one prompt, many AI models, answers side by side." />
    <title>CompareIntel</title>
  </head>
  <body><div id="root"></div></body>
</html>
`;

const clock = new FakeClock(new Date('2026-12-03T12:00:00.000Z'));
const DAY_MS = 24 * 60 * 60 * 1000;
let webDist: string;
let app: TestApp;
let server: TestServer;

beforeAll(async () => {
  // A built web app's shell, so the server serves pages (the real dist may not be built).
  webDist = mkdtempSync(path.join(tmpdir(), 'ci-share-web-'));
  writeFileSync(path.join(webDist, 'index.html'), INDEX_HTML);
  app = await createTestApp(
    { WEB_DIST_DIR: webDist, APP_URL: 'https://compare.example' },
    { now: clock.now },
  );
  server = await startTestServer(app);
});
afterAll(async () => {
  await server?.close();
  await app?.close();
  rmSync(webDist, { recursive: true, force: true });
});

async function owner(title?: string | null) {
  const { user } = await createTestUser(app.db);
  const conversation = await createSavedComparison(app.db, user, { title });
  return { user, conversation, caller: await app.callerAs(user) };
}

async function stranger() {
  const { user } = await createTestUser(app.db);
  return app.callerAs(user);
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  }
  return [];
}

describe('shares: owner', () => {
  it('creates an unguessable link, lists it, and only the owner may', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({
      url: `/s/${link.token}`,
      createdAt: clock.now().toISOString(),
      expiresAt: null,
    });
    const second = await caller.shares.create({ conversationId: conversation.id, expiresInDays: 7 });
    expect(second.token).not.toBe(link.token);
    expect(second.expiresAt).toBe(new Date(clock.now().getTime() + 7 * DAY_MS).toISOString());
    expect((await caller.shares.list({ conversationId: conversation.id })).map((l) => l.id)).toEqual([
      second.id,
      link.id,
    ]);

    const other = await stranger();
    for (const call of [
      other.shares.create({ conversationId: conversation.id }),
      other.shares.list({ conversationId: conversation.id }),
      other.shares.revoke({ id: link.id }),
    ]) {
      expect((await callerFailure(call)).code).toBe('NOT_FOUND');
    }
    // The stranger's revoke changed nothing.
    expect((await app.caller().shares.get({ token: link.token })).title).toBe('Tabs or spaces');
    expect((await callerFailure(app.caller().shares.create({ conversationId: conversation.id }))).code).toBe(
      'UNAUTHORIZED',
    );
  });

  it('refuses a bad expiry with BAD_REQUEST and writes nothing', async () => {
    const { conversation, caller } = await owner();
    for (const expiresInDays of [0, 366, 1.5]) {
      const failure = await callerFailure(
        caller.shares.create({ conversationId: conversation.id, expiresInDays }),
      );
      expect(failure.code).toBe('BAD_REQUEST');
    }
    expect(
      await app.db.models.SharedLink.query().where('conversation_id', conversation.id).resultSize(),
    ).toBe(0);
  });

  it('revoking makes the link NOT_FOUND at once, with the same words as an unknown token', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    await app.caller().shares.get({ token: link.token });
    expect(await caller.shares.revoke({ id: link.id })).toEqual({ revoked: true });
    const revoked = await callerFailure(app.caller().shares.get({ token: link.token }));
    const unknown = await callerFailure(app.caller().shares.get({ token: 'x'.repeat(43) }));
    expect([revoked.code, revoked.message]).toEqual(['NOT_FOUND', DEAD_LINK]);
    expect([unknown.code, unknown.message]).toEqual(['NOT_FOUND', DEAD_LINK]);
    expect(await caller.shares.list({ conversationId: conversation.id })).toEqual([]);
  });

  it('an expired link is NOT_FOUND and no longer listed', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id, expiresInDays: 1 });
    clock.advance(DAY_MS - 1000);
    await expect(app.caller().shares.get({ token: link.token })).resolves.toMatchObject({
      title: 'Tabs or spaces',
    });
    clock.advance(1000);
    expect((await callerFailure(app.caller().shares.get({ token: link.token }))).code).toBe('NOT_FOUND');
    expect(await caller.shares.list({ conversationId: conversation.id })).toEqual([]);
  });

  it('goes with its conversation', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    await caller.conversations.delete({ id: conversation.id });
    expect((await callerFailure(app.caller().shares.get({ token: link.token }))).code).toBe('NOT_FOUND');
  });
});

describe('shares.get: what anyone sees', () => {
  it('shows the prompts and every model’s answers in order, with figures and sources, to a visitor', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    const shared = await app.caller().shares.get({ token: link.token });
    expect(shared).toMatchObject({
      title: 'Tabs or spaces',
      type: 'comparison',
      createdAt: '2026-11-30T08:00:00.000Z',
      models: [
        { id: MODEL_A, name: expect.any(String) },
        { id: MODEL_B, name: expect.any(String) },
      ],
      prompts: ['Tabs or spaces? <b>Be brief</b>', 'Why?'],
    });
    expect(shared.models[0]?.name).not.toBe(MODEL_A);
    expect(shared.answers[MODEL_A]).toEqual([
      {
        text: 'Spaces, per most style guides [1].',
        status: 'done',
        error: null,
        metrics: { inputTokens: 9, outputTokens: 30, ttftMs: 210, durationMs: 1200 },
        sources: [{ url: 'https://example.com/style-guide', title: 'Style guide' }],
        searches: 0,
        notes: [],
      },
      expect.objectContaining({ text: 'Consistency across editors.', status: 'done' }),
    ]);
    expect(shared.answers[MODEL_B]?.[1]).toMatchObject({
      text: '',
      status: 'failed',
      error: 'The model took too long to answer.',
    });
  });

  it('carries nothing private: no email, credits, cost, user, conversation or message ids', async () => {
    const { user, conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    // Signed in as someone else or not at all, the answer is the same.
    for (const reader of [app.caller(), await stranger(), caller]) {
      const shared = await reader.shares.get({ token: link.token });
      const json = JSON.stringify(shared);
      // Exactly these fields, nothing else (a new one must be added here knowingly).
      expect([...new Set(keysOf(shared))].sort()).toEqual(
        [
          ...[
            'answers',
            'createdAt',
            'durationMs',
            'error',
            'id',
            'inputTokens',
            'metrics',
            'models',
            'name',
          ],
          ...['notes', 'outputTokens', 'prompts', 'searches', 'sources', 'status', 'text', 'title', 'ttftMs'],
          ...['type', 'url', MODEL_A, MODEL_B],
        ].sort(),
      );
      // The only `id`s are the models'.
      expect(shared.models.map((model) => model.id)).toEqual([MODEL_A, MODEL_B]);
      expect(json).not.toContain(user.email);
      expect(json).not.toContain('1.25');
      expect(json).not.toContain('0.0125');
    }
    // Over HTTP too (what a browser gets), without a cookie.
    const response = await fetch(
      `${server.url}/trpc/shares.get?input=${encodeURIComponent(JSON.stringify({ token: link.token }))}`,
    );
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('Consistency across editors.');
    expect(body).not.toContain(user.email);
    expect(body).not.toMatch(/"(credits|costUsd|userId|conversationId|email)"/);
    expect(body).not.toContain(`"id":${conversation.id}`);
  });
});

describe('shared page head (OpenGraph)', () => {
  it('names the conversation in <title> and og tags, escaped, and is noindex', async () => {
    const { conversation, caller } = await owner('Tabs <script>alert("x")</script> & spaces');
    const link = await caller.shares.create({ conversationId: conversation.id });
    const response = await fetch(`${server.url}/s/${link.token}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const title =
      'Tabs &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; spaces — CompareIntel shared comparison';
    expect(html).toContain(`<title>${title}</title>`);
    expect(html).toContain(`<meta property="og:title" content="${title}" />`);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<title>CompareIntel</title>');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/name="description"/g)).toHaveLength(1);
    expect(html).toMatch(
      /<meta property="og:description" content="“Tabs or spaces\? &lt;b&gt;Be brief&lt;\/b&gt;” — answers from .+ and .+\." \/>/,
    );
    expect(html).toContain('<meta property="og:type" content="article" />');
    expect(html).toContain(`<meta property="og:url" content="https://compare.example/s/${link.token}" />`);
    expect(html).toContain('<meta name="robots" content="noindex" />');
    expect(html).toContain('<div id="root"></div>');
  });

  it('answers the plain app shell with 404 for an unknown or revoked link', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    await caller.shares.revoke({ id: link.id });
    for (const token of [link.token, 'nope']) {
      const response = await fetch(`${server.url}/s/${token}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(INDEX_HTML);
    }
  });
});

describe('staff: take down', () => {
  let moderator: User;
  let narrowed: User;
  let admin: User;
  beforeAll(async () => {
    moderator = await createStaff(app, 'moderator');
    narrowed = await createStaff(app, 'narrowedModerator');
    admin = await createStaff(app, 'admin');
  });

  it('a moderator lists links and takes one down: it stops opening, audited with the reason', async () => {
    const { user, conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    const staff = await app.callerAs(moderator);
    const listed = await staff.admin.shares.list({ page: 1 });
    expect(listed.rows.find((row) => row.id === link.id)).toMatchObject({
      url: link.url,
      ownerEmail: user.email,
      conversationTitle: 'Tabs or spaces',
      state: 'active',
    });
    const row = await staff.admin.shares.takeDown({ id: link.id, reason: 'Spam' });
    expect(row).toMatchObject({ state: 'taken_down', takeDownReason: 'Spam' });
    expect((await callerFailure(app.caller().shares.get({ token: link.token }))).message).toBe(DEAD_LINK);
    expect((await fetch(`${server.url}/s/${link.token}`)).status).toBe(404);
    expect(await caller.shares.list({ conversationId: conversation.id })).toEqual([]);
    const audit = await app.db.models.AdminActionLog.query().where({
      admin_user_id: moderator.id,
      action_type: 'share.take_down',
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_user_id: user.id });
    expect(audit[0]?.details).toMatchObject({
      shareId: link.id,
      before: { state: 'active' },
      after: { state: 'taken_down', reason: 'Spam' },
    });
    const stored = await app.db.models.SharedLink.query().findById(link.id);
    expect(stored).toMatchObject({ taken_down_by: moderator.id, take_down_reason: 'Spam' });
  });

  it('is refused to plain users and narrowed moderators, and the refusals are audited', async () => {
    const { user, conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    for (const actor of [user, narrowed]) {
      const staff = await app.callerAs(actor);
      expect((await callerFailure(staff.admin.shares.takeDown({ id: link.id, reason: 'x' }))).code).toBe(
        'FORBIDDEN',
      );
      expect((await callerFailure(staff.admin.shares.list({ page: 1 }))).code).toBe('FORBIDDEN');
      const refusals = await app.db.models.AdminActionLog.query().where({
        admin_user_id: actor.id,
        action_type: 'share.take_down',
      });
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ target_user_id: user.id });
      expect(refusals[0]?.details).toMatchObject({ outcome: 'refused', requested: { shareId: link.id } });
    }
    await expect(app.caller().shares.get({ token: link.token })).resolves.toBeTruthy();
  });

  it('needs a reason: BAD_REQUEST, nothing written', async () => {
    const { conversation, caller } = await owner();
    const link = await caller.shares.create({ conversationId: conversation.id });
    const staff = await app.callerAs(admin);
    const failure = await callerFailure(staff.admin.shares.takeDown({ id: link.id, reason: '  ' }));
    expect(failure.code).toBe('BAD_REQUEST');
    expect(await app.db.models.AdminActionLog.query().where('admin_user_id', admin.id).resultSize()).toBe(0);
    await expect(app.caller().shares.get({ token: link.token })).resolves.toBeTruthy();
  });
});

describe('shares.get for visitors: the per-IP budget', () => {
  it('counts against publicPerIp, so a link cannot be hammered without an account', async () => {
    const limited = await createTestApp(
      {},
      { rateLimitRules: { publicPerIp: { points: 3, durationSeconds: 60, what: 'requests' } } },
    );
    try {
      const { user } = await createTestUser(limited.db);
      const conversation = await createSavedComparison(limited.db, user);
      const link = await (await limited.callerAs(user)).shares.create({ conversationId: conversation.id });
      const visitor = limited.caller({ ip: '203.0.113.7' });
      for (let call = 0; call < 3; call += 1) await visitor.shares.get({ token: link.token });
      expect((await callerFailure(visitor.shares.get({ token: link.token }))).code).toBe('TOO_MANY_REQUESTS');
      // Another address still reads it.
      await expect(
        limited.caller({ ip: '203.0.113.8' }).shares.get({ token: link.token }),
      ).resolves.toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});
