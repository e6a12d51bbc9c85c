import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppSettings } from './app-settings';
import {
  makeAdminActionLog,
  makeConversation,
  makeMessage,
  makePreference,
  makeUsageLog,
  makeUser,
  uniqueValue,
} from './test-factories';
import { createTestDb, type TestDb } from './testing';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('models', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  /** The value as stored, bypassing the models: text in SQLite, a Date (timestamptz) in PG. */
  async function rawColumn(table: string, column: string, id: number): Promise<unknown> {
    const row: Record<string, unknown> | undefined = await db
      .knex(table)
      .select(column)
      .where({ id })
      .first();
    return row?.[column];
  }

  describe('JSON columns', () => {
    it('round-trip arrays and objects, and null', async () => {
      const user = await makeUser(db, { admin_permissions: ['users:read', 'users:write'] });
      const plain = await makeUser(db);
      const preference = await makePreference(db, { user_id: user.id, preferred_models: ['a/one', 'b/two'] });
      const conversation = await makeConversation(db, {
        user_id: user.id,
        models_used: ['x/1', 'y/2', 'z/3'],
      });
      const log = await makeUsageLog(db, { models_used: ['x/1'] });
      const action = await makeAdminActionLog(db, {
        details: { changed: { tier: ['free', 'pro'] }, count: 2 },
      });
      const aggregate = await db.models.UsageLogMonthlyAggregate.query().insertAndFetch({
        year: 2031,
        month: 1,
        model_breakdown: { 'x/1': { count: 3, credits: 1.5 } },
      });
      const settings = await ensureAppSettings(db);
      await settings.$query().patch({ search_provider_config: { brave: { timeoutMs: 5000 } } });

      expect((await db.models.User.query().findById(user.id))?.admin_permissions).toEqual([
        'users:read',
        'users:write',
      ]);
      expect((await db.models.User.query().findById(plain.id))?.admin_permissions).toBeNull();
      expect((await db.models.UserPreference.query().findById(preference.id))?.preferred_models).toEqual([
        'a/one',
        'b/two',
      ]);
      expect((await db.models.Conversation.query().findById(conversation.id))?.models_used).toEqual([
        'x/1',
        'y/2',
        'z/3',
      ]);
      expect((await db.models.UsageLog.query().findById(log.id))?.models_used).toEqual(['x/1']);
      expect((await db.models.AdminActionLog.query().findById(action.id))?.details).toEqual({
        changed: { tier: ['free', 'pro'] },
        count: 2,
      });
      expect(
        (await db.models.UsageLogMonthlyAggregate.query().findById(aggregate.id))?.model_breakdown,
      ).toEqual({
        'x/1': { count: 3, credits: 1.5 },
      });
      expect((await db.models.AppSetting.query().findById(1))?.search_provider_config).toEqual({
        brave: { timeoutMs: 5000 },
      });
      // Stored as JSON text in a text column on both dialects.
      expect(await rawColumn('conversations', 'models_used', conversation.id)).toBe('["x/1","y/2","z/3"]');
    });

    it('defaults preferred_models and models_used to an empty array', async () => {
      const preference = await makePreference(db);
      expect((await db.models.UserPreference.query().findById(preference.id))?.preferred_models).toEqual([]);
      const [id] = await db.knex('usage_logs').insert({}).returning('id');
      const logId = typeof id === 'object' ? id.id : id;
      expect((await db.models.UsageLog.query().findById(logId))?.models_used).toEqual([]);
    });
  });

  describe('DECIMAL columns', () => {
    it('store 0.1 + 0.2 as 0.3000 and read it back as exactly 0.3', async () => {
      const log = await makeUsageLog(db, {
        credits_used: 0.1 + 0.2,
        actual_cost: 0.00012,
        overage_charge: 1.23456,
      });
      const fetched = await db.models.UsageLog.query().findById(log.id);
      expect(fetched?.credits_used).toBe(0.3);
      expect(fetched?.actual_cost).toBe(0.0001);
      expect(fetched?.overage_charge).toBe(1.2346);
      expect(fetched?.estimated_cost).toBeNull();

      if (db.dialect === 'pg') {
        const row = await db
          .knex('usage_logs')
          .select(db.knex.raw('credits_used::text as stored'))
          .where({ id: log.id })
          .first();
        expect(row?.stored).toBe('0.3000');
      } else {
        // knex declares SQLite decimals as float (REAL affinity): the stored double is the one nearest 0.3.
        const row = await db
          .knex('usage_logs')
          .select(db.knex.raw('credits_used as stored, typeof(credits_used) as kind'))
          .where({ id: log.id })
          .first();
        expect(row).toEqual({ stored: 0.3, kind: 'real' });
        expect(Number(row?.stored).toFixed(4)).toBe('0.3000');
      }
    });

    it('keep the instance equal to the stored value (rounded on input)', async () => {
      const log = await db.models.UsageLog.query().insert({ credits_used: 0.1 + 0.2 });
      expect(log.credits_used).toBe(0.3);
    });

    it('read two-decimal money columns as numbers', async () => {
      const user = await makeUser(db);
      const payment = await db.models.PaymentTransaction.query().insertAndFetch({
        user_id: user.id,
        amount: 19.999,
        status: 'succeeded',
      });
      expect(payment.amount).toBe(20);
      expect(payment.currency).toBe('USD');
      const history = await db.models.SubscriptionHistory.query().insertAndFetch({
        user_id: user.id,
        new_tier: 'pro',
        amount_paid: 29.5,
      });
      expect(history.amount_paid).toBe(29.5);
    });

    it('read bigint and aggregate decimals as numbers', async () => {
      const aggregate = await db.models.UsageLogMonthlyAggregate.query().insertAndFetch({
        year: 2031,
        month: 2,
        total_input_tokens: 12_345_678_901,
        total_credits_used: 1234567890.12345,
      });
      expect(aggregate.total_input_tokens).toBe(12_345_678_901);
      expect(aggregate.total_output_tokens).toBe(0);
      expect(aggregate.total_credits_used).toBe(1234567890.1235);
      expect(aggregate.avg_output_ratio).toBe(0);
    });
  });

  describe('User', () => {
    it('computes credits_remaining and includes it in toJSON', async () => {
      const user = await makeUser(db, { monthly_credits_allocated: 100, credits_used_this_period: 37 });
      expect(user.credits_remaining).toBe(63);
      expect(user.toJSON()).toMatchObject({ credits_remaining: 63, monthly_credits_allocated: 100 });
      await user.$query().patch({ credits_used_this_period: 120 });
      expect((await db.models.User.query().findById(user.id))?.credits_remaining).toBe(-20);
    });

    it('stores emails trimmed and lower-cased, on insert and on patch', async () => {
      const local = uniqueValue('Mixed');
      const user = await makeUser(db, { email: `  ${local}@Example.TEST ` });
      expect(user.email).toBe(`${local.toLowerCase()}@example.test`);
      await db.models.User.query()
        .findById(user.id)
        .patch({ email: `NEW-${local}@EXAMPLE.test` });
      expect(await rawColumn('users', 'email', user.id)).toBe(`new-${local.toLowerCase()}@example.test`);
    });

    it('returns booleans as booleans', async () => {
      const user = await makeUser(db, { is_verified: true, is_admin: true });
      const fetched = await db.models.User.query().findById(user.id);
      expect(fetched).toMatchObject({
        is_verified: true,
        is_active: true,
        is_admin: true,
        mock_mode_enabled: false,
      });
      const message = await makeMessage(db, { success: false });
      expect((await db.models.ConversationMessage.query().findById(message.id))?.success).toBe(false);
      const filtered = await db.models.User.query().where({ id: user.id, is_admin: true });
      expect(filtered).toHaveLength(1);
    });

    it('keeps DateTime columns as Dates and the date column as YYYY-MM-DD', async () => {
      const expires = new Date('2030-01-02T03:04:05.678Z');
      const user = await makeUser(db, { reset_token_expires: expires, overage_reset_date: '2030-02-01' });
      const fetched = await db.models.User.query().findById(user.id);
      expect(fetched?.reset_token_expires).toEqual(expires);
      expect(fetched?.last_access).toBeNull();
      expect(fetched?.overage_reset_date).toBe('2030-02-01');
    });
  });

  describe('timestamps', () => {
    it('are set by the model on insert and updated_at moves on update', async () => {
      const before = Date.now();
      const user = await makeUser(db);
      expect(user.created_at).toBeInstanceOf(Date);
      expect(user.created_at.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(user.updated_at.getTime()).toBe(user.created_at.getTime());

      const insertedAt = user.created_at.getTime();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await db.models.User.query().findById(user.id).patch({ last_access: new Date() });
      const patched = await db.models.User.query().findById(user.id);
      expect(patched?.updated_at.getTime()).toBeGreaterThan(insertedAt);
      expect(patched?.created_at.getTime()).toBe(insertedAt);
    });

    it('are stored as ISO-8601 UTC text in SQLite, the same format as the column default', async () => {
      const user = await makeUser(db);
      await db.knex('users').insert({ email: `${uniqueValue('raw-ts')}@example.test`, password_hash: 'x' });
      const raw = await db.knex('users').select('created_at').orderBy('id', 'desc').first();
      const stored = await rawColumn('users', 'created_at', user.id);
      if (db.dialect === 'sqlite') {
        expect(stored).toMatch(ISO_UTC);
        expect(raw?.created_at).toMatch(ISO_UTC);
      } else {
        expect(stored).toBeInstanceOf(Date);
        expect(raw?.created_at).toBeInstanceOf(Date);
      }
    });

    it('compare correctly against Date bindings in queries', async () => {
      const log = await makeUsageLog(db, { created_at: new Date('2020-06-15T12:00:00.000Z') });
      const newer = await makeUsageLog(db);
      const since = await db.models.UsageLog.query()
        .modify('createdSince', new Date('2021-01-01T00:00:00.000Z'))
        .whereIn('id', [log.id, newer.id]);
      expect(since.map((row) => row.id)).toEqual([newer.id]);
      const older = await db.models.UsageLog.query()
        .where('created_at', '<', new Date('2021-01-01T00:00:00.000Z'))
        .whereIn('id', [log.id, newer.id]);
      expect(older.map((row) => row.id)).toEqual([log.id]);
    });
  });

  describe('relations and modifiers', () => {
    it('fetch a user graph', async () => {
      const user = await makeUser(db);
      await makePreference(db, { user_id: user.id, theme: 'dark' });
      const conversation = await makeConversation(db, { user_id: user.id });
      await makeMessage(db, { conversation_id: conversation.id, role: 'user' });
      await makeMessage(db, { conversation_id: conversation.id, role: 'assistant', model_id: 'x/1' });
      const graph = await db.models.User.query()
        .findById(user.id)
        .withGraphFetched('[preference, conversations.messages(chronological)]');
      expect(graph?.preference?.theme).toBe('dark');
      expect(graph?.conversations).toHaveLength(1);
      expect(graph?.conversations?.[0]?.messages?.map((message) => message.role)).toEqual([
        'user',
        'assistant',
      ]);
    });

    it('link breakouts to their parent both ways', async () => {
      const parent = await makeConversation(db);
      const breakout = await makeConversation(db, {
        user_id: parent.user_id,
        conversation_type: 'breakout',
        parent_conversation_id: parent.id,
      });
      const withBreakouts = await db.models.Conversation.query()
        .findById(parent.id)
        .withGraphFetched('breakouts');
      expect(withBreakouts?.breakouts?.map((row) => row.id)).toEqual([breakout.id]);
      const withParent = await db.models.Conversation.query()
        .findById(breakout.id)
        .withGraphFetched('parent');
      expect(withParent?.parent?.id).toBe(parent.id);
    });

    it('list a user’s conversations newest first', async () => {
      const user = await makeUser(db);
      const older = await makeConversation(db, {
        user_id: user.id,
        updated_at: new Date('2024-01-01T00:00:00Z'),
      });
      const newer = await makeConversation(db, {
        user_id: user.id,
        updated_at: new Date('2024-06-01T00:00:00Z'),
      });
      await makeConversation(db);
      const listed = await db.models.Conversation.query().modify('ofUser', user.id).modify('newestFirst');
      expect(listed.map((row) => row.id)).toEqual([newer.id, older.id]);
    });

    it('work inside a transaction', async () => {
      const email = `${uniqueValue('trx')}@example.test`;
      await expect(
        db.knex.transaction(async (trx) => {
          await db.models.User.query(trx).insert({ email, password_hash: 'x' });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await db.models.User.query().where({ email })).toEqual([]);
    });
  });

  describe('ensureAppSettings', () => {
    it('creates the single row once, even when called concurrently', async () => {
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => ensureAppSettings(db)));
      expect(results.map((row) => row.id)).toEqual([1, 1, 1, 1, 1]);
      expect(await db.models.AppSetting.query().resultSize()).toBe(1);
      expect(results[0]).toMatchObject({ anonymous_mock_mode_enabled: false, web_search_enabled: false });
      expect(results[0]?.created_at).toBeInstanceOf(Date);
    });
  });
});
