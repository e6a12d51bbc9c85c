import {
  CheckViolationError,
  ForeignKeyViolationError,
  NotNullViolationError,
  UniqueViolationError,
} from 'objection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePreference, makeUser, uniqueValue } from './test-factories';
import { createTestDb, type TestDb } from './testing';

// objection's typed errors on both dialects (SQLite's thanks to SqliteClient), so services can map them.
describe('constraints', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('rejects an email that differs only in case, through the model', async () => {
    const email = `${uniqueValue('case')}@example.test`;
    await makeUser(db, { email });
    await expect(makeUser(db, { email: `  ${email.toUpperCase()} ` })).rejects.toBeInstanceOf(
      UniqueViolationError,
    );
  });

  it('rejects an email that differs only in case, through raw SQL (lower(email) index)', async () => {
    const email = `${uniqueValue('raw')}@example.test`;
    await db.knex('users').insert({ email, password_hash: 'x' });
    await expect(
      db.knex('users').insert({ email: email.replace('raw', 'RAW'), password_hash: 'x' }),
    ).rejects.toThrow(/unique/i);
  });

  it('rejects a second preference row for the same user', async () => {
    const preference = await makePreference(db);
    await expect(makePreference(db, { user_id: preference.user_id })).rejects.toBeInstanceOf(
      UniqueViolationError,
    );
  });

  it('rejects a second monthly aggregate for the same (year, month)', async () => {
    await db.models.UsageLogMonthlyAggregate.query().insert({ year: 2024, month: 7 });
    await db.models.UsageLogMonthlyAggregate.query().insert({ year: 2024, month: 8 });
    await expect(
      db.models.UsageLogMonthlyAggregate.query().insert({ year: 2024, month: 7 }),
    ).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it('keeps app_settings to the single row id = 1', async () => {
    await expect(db.models.AppSetting.query().insert({ id: 2 })).rejects.toBeInstanceOf(CheckViolationError);
  });

  it('enforces foreign keys (SQLite included: PRAGMA foreign_keys is on for every connection)', async () => {
    await expect(
      db.models.Conversation.query().insert({ user_id: 987_654_321, input_data: 'orphan' }),
    ).rejects.toBeInstanceOf(ForeignKeyViolationError);
  });

  it('enforces NOT NULL columns', async () => {
    await expect(db.models.User.query().insert({ email: uniqueValue('nopass') })).rejects.toBeInstanceOf(
      NotNullViolationError,
    );
  });
});
