import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATIONS_TABLE, migrationSource } from './migration-source';
import { makeUser } from './test-factories';
import { createTestDb, type TestDb } from './testing';

// Every migration creates one table, named after it (`<timestamp>_create_<table>`).
const APP_TABLES = MIGRATIONS.map((entry) => entry.name.replace(/^\d{14}_create_/, '')).sort();
const NEWEST = MIGRATIONS.at(-1)?.name;

async function existingAppTables(db: TestDb): Promise<string[]> {
  const present: string[] = [];
  for (const table of APP_TABLES) if (await db.knex.schema.hasTable(table)) present.push(table);
  return present;
}

describe('migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('lists every file of src/migrations, in order, each creating one table', () => {
    for (const entry of MIGRATIONS) expect(entry.name).toMatch(/^\d{14}_create_[a-z_]+$/);
    const directory = fileURLToPath(new URL('./migrations', import.meta.url));
    const files = readdirSync(directory)
      .filter((file) => /^\d{14}_[a-z0-9_]+\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(readdirSync(directory)).toHaveLength(files.length);
    expect(MIGRATIONS.map((entry) => entry.name)).toEqual(files);
  });

  it('starts empty: nothing applied, everything pending', async () => {
    expect(await db.migrationVersion()).toBeNull();
    expect(await db.listMigrations()).toEqual({
      applied: [],
      pending: MIGRATIONS.map((entry) => entry.name),
    });
    expect(await existingAppTables(db)).toEqual([]);
  });

  it('migrates up to the newest migration, idempotently', async () => {
    await db.migrateLatest();
    await db.migrateLatest();
    expect(await db.migrationVersion()).toBe(NEWEST);
    expect((await db.listMigrations()).pending).toEqual([]);
    expect(await existingAppTables(db)).toEqual(APP_TABLES);
  });

  it("steps down one migration at a time, each down dropping exactly its up's table", async () => {
    const names = MIGRATIONS.map((entry) => entry.name);
    for (let applied = names.length; applied > 0; applied -= 1) {
      const table = names[applied - 1]?.replace(/^\d{14}_create_/, '');
      expect(await db.knex.schema.hasTable(table ?? '')).toBe(true);
      await db.knex.migrate.down({ migrationSource, tableName: MIGRATIONS_TABLE });
      expect(await db.knex.schema.hasTable(table ?? '')).toBe(false);
      expect(await db.migrationVersion()).toBe(names[applied - 2] ?? null);
    }
    expect(await existingAppTables(db)).toEqual([]);
  });

  it('round-trips: up, rollback all, up again, and the schema works', async () => {
    await db.migrateLatest();
    await makeUser(db);
    await db.rollbackAll();
    expect(await existingAppTables(db)).toEqual([]);
    expect(await db.migrationVersion()).toBeNull();
    await db.migrateLatest();
    expect(await existingAppTables(db)).toEqual(APP_TABLES);
    expect(await db.models.User.query().resultSize()).toBe(0);
    const user = await makeUser(db);
    expect(user.id).toBeGreaterThan(0);
  });
});
