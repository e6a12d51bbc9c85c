import { closeServices, createServices, startHoldKeeper } from './app';
import { loadConfig } from './env';
import { JobScheduler, jobIntervals } from './jobs/jobs';
import { seedDatabase } from './seed/seed-database';
import { buildServer } from './server';

/** Start the API. Configuration and connection problems end the process with one clear line. */
async function main() {
  const config = loadConfig();
  const services = await createServices(config);
  if (config.MIGRATE_ON_START) await services.db.migrateLatest();
  const staff = await seedDatabase(
    { db: services.db },
    { createStaff: config.NODE_ENV === 'development', staffEmail: config.STAFF_EMAIL },
  );
  const { keeper, recovered } = await startHoldKeeper(services);
  const scheduler = new JobScheduler(services, jobIntervals(config.JOB_INTERVALS), (error, message) =>
    console.error(message, error),
  );
  if (config.JOBS_ENABLED) scheduler.start();
  const server = await buildServer(services);
  const address = await server.listen({ host: config.HOST, port: config.PORT });
  const banner = [`CompareIntel API listening on ${address} (database: ${services.db.dialect})`];
  if (!config.SMTP_URL) {
    banner.push(
      config.NODE_ENV === 'production'
        ? 'WARNING: SMTP_URL is not set, so mail (verification and reset links) is only printed to this log.'
        : `Mail is not sent (SMTP_URL is unset): it is printed here and listed at ${address}/dev/mail`,
    );
  }
  banner.push(
    services.llm.upstreamMissing
      ? 'Models: mock mode (set OPENROUTER_API_KEY for real answers)'
      : `Models: ${config.OPENROUTER_BASE_URL}`,
  );
  if (config.NODE_ENV !== 'production') banner.push(`Web app: ${config.APP_URL}`);
  if (recovered > 0) banner.push(`Settled ${recovered} comparison(s) left unfinished by a stopped process`);
  if (staff) banner.push(`Staff account created — email: ${staff.email}  password: ${staff.password}`);
  console.log(banner.join('\n'));

  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Drain: no new comparisons (readiness answers 503, so a load balancer sends work elsewhere); the
    // runs in flight may finish within the grace period, then the rest are stopped and settled. Open
    // streams are cut last, so their clients reconnect (with their last event id) to another process.
    services.lifecycle.draining = true;
    const inFlight = services.runs.size;
    if (inFlight > 0) {
      console.log(
        `Shutting down: waiting up to ${config.SHUTDOWN_GRACE_MS} ms for ${inFlight} comparison(s)`,
      );
    }
    await services.runs.drain(config.SHUTDOWN_GRACE_MS);
    await keeper.stop();
    await scheduler.stop();
    await server.close();
    await closeServices(services);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof Error && ['ConfigError', 'DatabaseConfigError'].includes(error.name);
  console.error(known ? message : `CompareIntel API failed to start: ${message}`);
  process.exit(1);
});
