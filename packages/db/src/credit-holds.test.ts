import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abandonedCreditHolds,
  creditHoldOwners,
  type NewCreditHold,
  placeCreditHold,
  releaseCreditHold,
  renewHoldLeases,
  saveHoldProgress,
  setHoldConversation,
  visitorPoolUsed,
} from './credit-holds';
import { makeConversation, makeUser, uniqueValue } from './test-factories';
import { createTestDb, type TestDb } from './testing';

// Holds as rows with an owner and a lease (migration 013): which ones count as abandoned, who renews
// them, and what placing and releasing one does to the pools.
const DAY = '2031-05-06';
const NOW = new Date('2031-05-06T12:00:00.000Z');

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.cleanup();
});

function newHold(overrides: Partial<NewCreditHold> = {}): NewCreditHold {
  return {
    id: uniqueValue('hold'),
    owner: 'host-a:1',
    leaseExpiresAt: new Date(NOW.getTime() + 60_000),
    userId: null,
    credits: 2,
    periodResetAt: null,
    poolSize: 10,
    allowOverage: false,
    visitorDay: null,
    visitorKeys: [],
    visitorPoolSize: 10,
    ip: '198.51.100.1',
    fingerprint: null,
    inputLength: 5,
    progress: {},
    ...overrides,
  };
}

async function clearHolds() {
  await db.knex('credit_holds').delete();
}

describe('abandoned credit holds', () => {
  it('are those whose lease ran out or whose owner is known dead, except live runs, oldest first', async () => {
    await clearHolds();
    const expired = newHold({ leaseExpiresAt: new Date(NOW.getTime() - 1) });
    const leased = newHold();
    const deadOwner = newHold({ owner: 'host-a:2' });
    const live = newHold({ owner: 'host-a:2' });
    for (const hold of [expired, leased, deadOwner, live]) {
      expect(await placeCreditHold(db, hold)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ids = async (options: Parameters<typeof abandonedCreditHolds>[1]) =>
      (await abandonedCreditHolds(db, options)).map((hold) => hold.id);

    expect(await ids({ now: NOW })).toEqual([expired.id]);
    expect(await ids({ now: NOW, deadOwners: [] })).toEqual([expired.id]);
    expect(await ids({ now: NOW, deadOwners: ['host-a:2'] })).toEqual([expired.id, deadOwner.id, live.id]);
    expect(await ids({ now: NOW, deadOwners: ['host-a:2'], exceptIds: [live.id] })).toEqual([
      expired.id,
      deadOwner.id,
    ]);
    // A lease that ends exactly now is not over yet.
    expect(await ids({ now: new Date(NOW.getTime() + 60_000) })).toEqual([expired.id]);
    expect(await ids({ now: new Date(NOW.getTime() + 60_001) })).toEqual([
      expired.id,
      leased.id,
      deadOwner.id,
      live.id,
    ]);
    expect((await creditHoldOwners(db)).sort()).toEqual(['host-a:1', 'host-a:2']);
  });

  it('renews only the leases of the given holds of this owner', async () => {
    await clearHolds();
    const mine = newHold();
    const other = newHold();
    const theirs = newHold({ owner: 'host-b:1' });
    for (const hold of [mine, other, theirs]) await placeCreditHold(db, hold);
    const later = new Date(NOW.getTime() + 600_000);
    expect(await renewHoldLeases(db, 'host-a:1', [mine.id, theirs.id], later)).toBe(1);
    expect(await renewHoldLeases(db, 'host-a:1', [], later)).toBe(0);
    const leases = await db.models.CreditHold.query().orderBy('id');
    const leaseOf = (id: string) => leases.find((hold) => hold.id === id)?.lease_expires_at.getTime();
    expect(leaseOf(mine.id)).toBe(later.getTime());
    expect(leaseOf(other.id)).toBe(mine.leaseExpiresAt.getTime());
    expect(leaseOf(theirs.id)).toBe(theirs.leaseExpiresAt.getTime());
  });

  it('saves what streamed with a renewed lease, and the conversation the answers go into', async () => {
    await clearHolds();
    const user = await makeUser(db);
    const conversation = await makeConversation(db, { user_id: user.id });
    const hold = newHold({ userId: user.id, periodResetAt: null, allowOverage: true });
    await placeCreditHold(db, hold);
    const progress = {
      m: {
        status: 'streaming' as const,
        text: 'so far',
        inputTokens: 3,
        outputTokens: 2,
        costUsd: null,
        mock: false,
        error: null,
        ttftMs: 10,
        durationMs: null,
      },
    };
    const later = new Date(NOW.getTime() + 120_000);
    await saveHoldProgress(db, hold.id, progress, later);
    await setHoldConversation(db.sql, hold.id, conversation.id);
    expect(await db.models.CreditHold.query().findById(hold.id)).toMatchObject({
      progress,
      lease_expires_at: later,
      conversation_id: conversation.id,
    });
  });
});

describe('placing and releasing holds', () => {
  it('holds on every visitor key, refuses when any key is short, and counts the most-used key', async () => {
    const day = DAY;
    const a = uniqueValue('ip');
    const b = uniqueValue('fp');
    expect(await placeCreditHold(db, newHold({ visitorDay: day, visitorKeys: [a], credits: 7 }))).toBe(true);
    expect(await visitorPoolUsed(db, [a, b], day)).toBe(7);
    // b has room but a has only 3 left: nothing is held on either.
    const refused = newHold({ visitorDay: day, visitorKeys: [b, a], credits: 4 });
    expect(await placeCreditHold(db, refused)).toBe(false);
    expect(await db.models.CreditHold.query().findById(refused.id)).toBeUndefined();
    expect(await visitorPoolUsed(db, [b], day)).toBe(0);
    // Exactly what is left fits.
    const fits = newHold({ visitorDay: day, visitorKeys: [b, a], credits: 3 });
    expect(await placeCreditHold(db, fits)).toBe(true);
    expect(await visitorPoolUsed(db, [a], day)).toBe(10);
    expect(await visitorPoolUsed(db, [b], day)).toBe(3);
    expect(await visitorPoolUsed(db, [], day)).toBe(0);

    expect(await releaseCreditHold(db, fits.id)).toBe(true);
    expect(await releaseCreditHold(db, fits.id)).toBe(false);
    expect(await visitorPoolUsed(db, [a], day)).toBe(7);
    expect(await visitorPoolUsed(db, [b], day)).toBe(0);
  });

  it("holds on the user's pool unless it is short (or opted-in overage has room under its cap); release gives it back in the same period", async () => {
    const resetAt = new Date('2031-05-07T00:00:00.000Z');
    const user = await makeUser(db, { credits_used_this_period: 6, credits_reset_at: resetAt });
    const used = async () =>
      (await db.models.User.query().findById(user.id).throwIfNotFound()).credits_used_this_period;
    const hold = (credits: number, allowOverage = false) =>
      newHold({ userId: user.id, credits, periodResetAt: resetAt, poolSize: 10, allowOverage });

    expect(await placeCreditHold(db, hold(5))).toBe(false);
    expect(await used()).toBe(6);
    const fits = hold(4);
    expect(await placeCreditHold(db, fits)).toBe(true);
    expect(await used()).toBe(10);
    // Past the pool only with overage opted into, and only within its cap.
    expect(await placeCreditHold(db, hold(3, true))).toBe(false);
    await db
      .knex('overage_settings')
      .insert({ user_id: user.id, enabled: true, cap_usd: 0.05, cap_credits: 3, credits_used: 0 });
    expect(await placeCreditHold(db, hold(4, true))).toBe(false);
    const over = hold(3, true);
    expect(await placeCreditHold(db, over)).toBe(true);
    expect(await used()).toBe(13);

    expect(await releaseCreditHold(db, over.id)).toBe(true);
    expect(await used()).toBe(10);
    // A pool reset since the hold: the new pool owes nothing back.
    await db.models.User.query()
      .patch({ credits_used_this_period: 0, credits_reset_at: new Date('2031-05-08T00:00:00.000Z') })
      .where('id', user.id);
    expect(await releaseCreditHold(db, fits.id)).toBe(true);
    expect(await used()).toBe(0);
  });
});
