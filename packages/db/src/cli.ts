import {
  connectDb,
  DatabaseConfigError,
  DEFAULT_DATABASE_URL,
  redactDatabaseUrl,
  resolveDatabaseUrl,
} from './client';

/**
 * `tsx src/cli.ts migrate|rollback` on DATABASE_URL. pnpm runs package scripts from packages/db, so a
 * relative sqlite: path is resolved against the directory the command was typed in (INIT_CWD).
 */
async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if ((command !== 'migrate' && command !== 'rollback') || rest.length > 0) {
    throw new UsageError('usage: tsx src/cli.ts migrate|rollback   (acts on DATABASE_URL)');
  }
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const shown = redactDatabaseUrl(url);
  const db = await connectDb(resolveDatabaseUrl(url, process.env.INIT_CWD || process.cwd()));
  try {
    if (command === 'migrate') {
      const before = (await db.listMigrations()).applied.length;
      await db.migrateLatest();
      const { applied } = await db.listMigrations();
      const fresh = applied.length - before;
      console.log(
        `migrated ${shown} to ${applied.at(-1) ?? '(nothing)'} (${applied.length} migrations, ${fresh} new)`,
      );
    } else {
      const before = (await db.listMigrations()).applied.length;
      await db.rollbackAll();
      console.log(`rolled back ${shown} (${before} migrations undone)`);
    }
  } finally {
    await db.destroy();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof DatabaseConfigError || error instanceof UsageError) {
    console.error(error.message);
  } else {
    // Anything else is a bug or a failed migration: keep the stack.
    console.error(error);
  }
  process.exitCode = 1;
});
