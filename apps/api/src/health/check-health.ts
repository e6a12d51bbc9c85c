import type { Db } from '@compareintel/db';

/** Is the database reachable, and which migration is it on? Never throws: health answers, it doesn't fail. */
export async function checkHealth({ db }: { db: Db }) {
  let reachable = true;
  let migration: string | null = null;
  try {
    await db.ping();
    migration = await db.migrationVersion();
  } catch {
    reachable = false;
  }
  return {
    ok: reachable && migration !== null,
    db: { dialect: db.dialect, reachable, migration },
    uptimeSeconds: Math.round(process.uptime()),
  };
}
