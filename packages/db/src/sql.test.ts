import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOn } from './sql';
import { makeUser } from './test-factories';
import { createTestDb, type TestDb } from './testing';

// Plain statements through the driver (sql.ts): the same text on both dialects, values bound the way the
// models write them, and transactions that commit whole or not at all.
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.cleanup();
});

describe('plain SQL through the driver', () => {
  it('binds `?` placeholders in order, dates as the models write them, booleans as the column holds them', async () => {
    const user = await makeUser(db);
    const at = new Date('2031-02-03T04:05:06.789Z');
    const changed = await db.sql.run('update users set last_access = ?, mock_mode_enabled = ? where id = ?', [
      at,
      true,
      user.id,
    ]);
    expect(changed).toBe(1);
    const fresh = await db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.last_access).toEqual(at);
    expect(fresh.mock_mode_enabled).toBe(true);
    const rows = await db.sql.all<{ id: number }>(
      'select id from users where id = ? and mock_mode_enabled = ?',
      [user.id, true],
    );
    expect(rows.map((row) => Number(row.id))).toEqual([user.id]);
    expect(await db.sql.first('select id from users where id = ?', [-1])).toBeUndefined();
  });

  it('answers RETURNING rows of an insert', async () => {
    const user = await makeUser(db);
    const [row] = await db.sql.all<{ id: number }>(
      `insert into credit_transactions (user_id, transaction_type, credits_amount, description, created_at)
       values (?, 'allocation', ?, ?, ?) returning id`,
      [user.id, 7, 'plain insert', new Date()],
    );
    const saved = await db.models.CreditTransaction.query().findById(Number(row?.id)).throwIfNotFound();
    expect(saved).toMatchObject({ user_id: user.id, credits_amount: 7, description: 'plain insert' });
  });

  it('commits a transaction whole, and rolls it back whole when its work throws', async () => {
    const user = await makeUser(db, { total_credits_used: 0 });
    const bump = 'update users set total_credits_used = total_credits_used + ? where id = ?';
    await db.transaction(async (sql) => {
      await sql.run(bump, [2, user.id]);
      await sql.run(bump, [3, user.id]);
    });
    await expect(
      db.transaction(async (sql) => {
        await sql.run(bump, [100, user.id]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const row = await db.sql.first<{ total: number | string }>(
      'select total_credits_used as total from users where id = ?',
      [user.id],
    );
    expect(Number(row?.total)).toBe(5);
  });

  it('runs inside a knex transaction on its connection (sqlOn): rolled back with it', async () => {
    const user = await makeUser(db, { total_credits_used: 0 });
    await expect(
      db.knex.transaction(async (trx) => {
        await sqlOn(trx).run('update users set total_credits_used = 9 where id = ?', [user.id]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const row = await db.sql.first<{ total: number | string }>(
      'select total_credits_used as total from users where id = ?',
      [user.id],
    );
    expect(Number(row?.total)).toBe(0);
  });
});
