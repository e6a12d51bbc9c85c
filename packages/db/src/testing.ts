import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDb, createDb, DatabaseConfigError, type Db, schemaScopedUrl } from './client';

export type TestDb = Db & {
  /** A DATABASE_URL naming this same database (and schema), for API processes a test starts. */
  url: string;
  /** Drops everything this test database created and closes its connections. */
  cleanup(): Promise<void>;
};

export interface CreateTestDbOptions {
  /** Run all migrations first (default true); migration tests pass false. */
  migrate?: boolean;
}

/**
 * A fresh, isolated database for one test file, on the dialect named by TEST_DB ('sqlite', the default,
 * or 'pg'): a new SQLite file under the OS temp dir, or a new PostgreSQL schema `t_<random>` inside
 * TEST_DATABASE_URL's database, holding every table and knex_migrations.
 */
export async function createTestDb(options: CreateTestDbOptions = {}): Promise<TestDb> {
  const dialect = process.env.TEST_DB || 'sqlite';
  const testDb =
    dialect === 'sqlite' ? createSqliteTestDb() : dialect === 'pg' ? await createPgTestDb() : undefined;
  if (testDb === undefined) {
    throw new DatabaseConfigError(`TEST_DB must be sqlite or pg (got "${dialect}")`);
  }
  if (options.migrate ?? true) {
    try {
      await testDb.migrateLatest();
    } catch (error) {
      await testDb.cleanup();
      throw error;
    }
  }
  return testDb;
}

function uniqueSuffix(): string {
  return randomBytes(6).toString('hex');
}

function createSqliteTestDb(): TestDb {
  const filename = join(tmpdir(), `compareintel-test-${uniqueSuffix()}.db`);
  const db = createDb(`sqlite:${filename}`);
  return {
    ...db,
    url: `sqlite:${filename}`,
    async cleanup() {
      await db.destroy();
      await Promise.all(
        ['', '-wal', '-shm', '-journal'].map((suffix) => rm(`${filename}${suffix}`, { force: true })),
      );
    },
  };
}

async function createPgTestDb(): Promise<TestDb> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    throw new DatabaseConfigError(
      'TEST_DB=pg needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
    );
  }
  const schema = `t_${uniqueSuffix()}`;
  const db = await connectDb(baseUrl, { searchPath: schema });
  try {
    await db.knex.raw('create schema ??', [schema]);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    ...db,
    url: schemaScopedUrl(baseUrl, schema),
    async cleanup() {
      try {
        await db.knex.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await db.destroy();
      }
    },
  };
}

export * from './test-factories';
