import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForeignKeyViolationError } from 'objection';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectDb,
  createDb,
  DatabaseConfigError,
  parseDatabaseUrl,
  redactDatabaseUrl,
  resolveDatabaseUrl,
} from './client';
import { uniqueValue } from './test-factories';
import { createTestDb } from './testing';
import { dbTestProjects } from './vitest-projects.js';

// Dialect-independent: these run once per project, which costs little.
describe('DATABASE_URL handling', () => {
  it('rejects other schemes with one clear line', () => {
    expect(() => createDb('mysql://root:hunter2@db/app')).toThrow(
      new DatabaseConfigError(
        'DATABASE_URL must start with sqlite: or postgres:// (got "mysql://root:***@db/app")',
      ),
    );
    expect(() => createDb('sqlite:')).toThrow(DatabaseConfigError);
  });

  it('parses both PostgreSQL spellings', () => {
    expect(parseDatabaseUrl('postgresql://u:p@db.internal/app')).toMatchObject({
      dialect: 'pg',
      host: 'db.internal',
      port: '5432',
      database: 'app',
    });
    expect(parseDatabaseUrl('postgres://u@127.0.0.1:6543/x')).toMatchObject({ port: '6543', database: 'x' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it('redacts passwords and resolves relative SQLite paths', () => {
    expect(redactDatabaseUrl('postgres://app:s3cr3t@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(redactDatabaseUrl('postgres://app@db/app')).toBe('postgres://app@db/app');
    expect(resolveDatabaseUrl('sqlite:./data/x.db', '/repo')).toBe('sqlite:/repo/data/x.db');
    expect(resolveDatabaseUrl('sqlite:/abs/x.db', '/repo')).toBe('sqlite:/abs/x.db');
    expect(resolveDatabaseUrl('sqlite::memory:', '/repo')).toBe('sqlite::memory:');
    expect(resolveDatabaseUrl('postgres://h/db', '/repo')).toBe('postgres://h/db');
  });
});

describe('connecting', () => {
  const previousDatabaseUrl = process.env.DATABASE_URL;
  afterEach(() => {
    if (previousDatabaseUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousDatabaseUrl;
  });

  it('connectDb turns an unreachable PostgreSQL into one line without the password', async () => {
    const error = await connectDb('postgres://postgres:s3cr3t@127.0.0.1:1/nowhere').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatabaseConfigError);
    expect(error).toHaveProperty(
      'message',
      'Cannot reach PostgreSQL at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('createDb is lazy: an unreachable server fails at ping, not at creation', async () => {
    const db = createDb('postgres://postgres@127.0.0.1:1/nowhere');
    expect(db.dialect).toBe('pg');
    await expect(db.ping()).rejects.toThrow(/ECONNREFUSED/);
    await db.destroy();
  });

  it('opens sqlite::memory: with foreign keys enforced', async () => {
    const db = await connectDb('sqlite::memory:');
    await db.migrateLatest();
    await expect(
      db.models.Conversation.query().insert({ user_id: 42, input_data: 'orphan' }),
    ).rejects.toBeInstanceOf(ForeignKeyViolationError);
    await db.destroy();
  });

  it('defaults to DATABASE_URL and creates the SQLite file’s directory', async () => {
    const directory = join(tmpdir(), uniqueValue('compareintel-dir'));
    process.env.DATABASE_URL = `sqlite:${join(directory, 'nested', 'app.db')}`;
    const db = createDb();
    await db.migrateLatest();
    expect(existsSync(join(directory, 'nested', 'app.db'))).toBe(true);
    expect(await db.migrationVersion()).toMatch(/^\d{14}_create_/);
    const journal: Array<{ journal_mode: string }> = await db.knex.raw('pragma journal_mode');
    expect(journal[0]?.journal_mode).toBe('wal');
    await db.destroy();
    await rm(directory, { recursive: true, force: true });
  });
});

describe('test helpers', () => {
  const saved = { TEST_DB: process.env.TEST_DB, TEST_DATABASE_URL: process.env.TEST_DATABASE_URL };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('dbTestProjects adds PostgreSQL only when TEST_DATABASE_URL is set', () => {
    delete process.env.TEST_DATABASE_URL;
    expect(dbTestProjects().map((project) => project.test.name)).toEqual(['sqlite']);
    process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
    expect(dbTestProjects({ sqliteOnly: ['src/cli.test.ts'], postgresOnly: ['src/two.test.ts'] })).toEqual([
      {
        extends: true,
        test: {
          name: 'sqlite',
          env: { TEST_DB: 'sqlite' },
          exclude: ['**/node_modules/**', 'src/two.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          env: { TEST_DB: 'pg' },
          exclude: ['**/node_modules/**', 'src/cli.test.ts'],
        },
      },
    ]);
  });

  it('createTestDb explains a bad TEST_DB or a missing TEST_DATABASE_URL', async () => {
    process.env.TEST_DB = 'mysql';
    await expect(createTestDb()).rejects.toThrow('TEST_DB must be sqlite or pg (got "mysql")');
    process.env.TEST_DB = 'pg';
    delete process.env.TEST_DATABASE_URL;
    await expect(createTestDb()).rejects.toThrow(/TEST_DB=pg needs TEST_DATABASE_URL/);
  });

  it('createTestDb cleanup leaves nothing behind', async () => {
    const db = await createTestDb();
    if (db.dialect === 'sqlite') {
      const files: Array<{ file: string }> = await db.knex.raw(
        'select file from pragma_database_list where name = ?',
        ['main'],
      );
      const file = files[0]?.file ?? '';
      expect(existsSync(file)).toBe(true);
      await db.cleanup();
      expect(existsSync(file)).toBe(false);
    } else {
      const schema: { rows: Array<{ name: string }> } = await db.knex.raw('select current_schema() as name');
      const name = schema.rows[0]?.name ?? '';
      expect(name).toMatch(/^t_[0-9a-f]{12}$/);
      await db.cleanup();
      const probe = createDb(process.env.TEST_DATABASE_URL);
      const left = await probe.knex('information_schema.schemata').where({ schema_name: name });
      await probe.destroy();
      expect(left).toEqual([]);
    }
  });
});
