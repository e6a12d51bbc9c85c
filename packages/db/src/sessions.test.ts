import { UniqueViolationError } from 'objection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from './test-factories';
import { createTestDb, type TestDb } from './testing';

// The longest textual IP address: IPv4-mapped IPv6, 45 characters.
const LONGEST_IP = '0000:0000:0000:0000:0000:ffff:255.255.255.255';

// The `sessions` table (not in the seed; added for sign-in sessions): shape, rules and the model.
describe('sessions', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  let sequence = 0;
  async function makeSession(userId: number, expiresAt = new Date(Date.now() + 86_400_000)) {
    sequence += 1;
    const now = new Date();
    return db.models.Session.query().insertAndFetch({
      user_id: userId,
      token_hash: sequence.toString(16).padStart(64, '0'),
      last_seen_at: now,
      expires_at: expiresAt,
      ip_address: LONGEST_IP,
      user_agent: 'vitest',
    });
  }

  it('round-trips dates as Date and keeps the 45-character IPv6 address', async () => {
    const user = await makeUser(db);
    const expiresAt = new Date('2031-01-02T03:04:05.678Z');
    const session = await makeSession(user.id, expiresAt);
    expect(session.expires_at).toEqual(expiresAt);
    expect(session.created_at).toBeInstanceOf(Date);
    expect(session.last_seen_at).toBeInstanceOf(Date);
    expect(session.ip_address).toBe(LONGEST_IP);
    expect((await session.$relatedQuery('user'))?.id).toBe(user.id);
  });

  it('compares expiry against an ISO-8601 binding on both dialects', async () => {
    const user = await makeUser(db);
    const past = await makeSession(user.id, new Date(Date.now() - 1000));
    const future = await makeSession(user.id);
    const live = await db.models.Session.query()
      .where('user_id', user.id)
      .where('expires_at', '>', new Date().toISOString());
    expect(live.map((session) => session.id)).toEqual([future.id]);
    expect(past.id).not.toBe(future.id);
  });

  it('keeps token hashes unique', async () => {
    const user = await makeUser(db);
    const session = await makeSession(user.id);
    await expect(
      db.models.Session.query().insert({
        user_id: user.id,
        token_hash: session.token_hash,
        last_seen_at: new Date(),
        expires_at: new Date(),
      }),
    ).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it('goes with its user (ON DELETE CASCADE)', async () => {
    const user = await makeUser(db);
    const session = await makeSession(user.id);
    await db.models.User.query().deleteById(user.id);
    expect(await db.models.Session.query().findById(session.id)).toBeUndefined();
  });
});
