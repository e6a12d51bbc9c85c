import type { Db } from '@compareintel/db';
import type { RunEventLog } from '../compare/run-events';
import type { RunRegistry } from '../compare/run-registry';
import type { Lifecycle } from '../context';

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

/**
 * Should this process get new requests? Not while it drains (shutting down), nor when its database or
 * its run-event log (Redis, with several processes) cannot be reached.
 */
export async function checkReadiness(services: {
  db: Db;
  runEvents: RunEventLog;
  runs: RunRegistry;
  lifecycle: Lifecycle;
}) {
  const [health, events] = await Promise.all([
    checkHealth(services),
    services.runEvents.ping().then(
      () => true,
      () => false,
    ),
  ]);
  return {
    ready: health.ok && events && !services.lifecycle.draining,
    draining: services.lifecycle.draining,
    db: health.db.reachable,
    runEvents: events,
    runsInFlight: services.runs.size,
  };
}
