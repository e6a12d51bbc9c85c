import { connectDb, type Db } from '@compareintel/db';
import { createRateLimits } from './auth/rate-limits';
import { BackgroundTasks } from './background';
import { createStripe } from './billing/stripe-gateway';
import { RedisRunEventLog } from './compare/redis-run-events';
import { MemoryRunEventLog, type RunEventLog } from './compare/run-events';
import { HoldKeeper, processIdentity } from './compare/run-recovery';
import { RunRegistry } from './compare/run-registry';
import { createWebSearchGateway } from './compare/web-search-gateway';
import type { AppServices } from './context';
import type { AppConfig } from './env';
import { loadModelRegistry } from './models/registry';
import { createLlmGateway } from './providers/llm';
import { createMailer } from './providers/mail';

/** Build the long-lived services of one API process from its config. */
export async function createServices(config: AppConfig): Promise<AppServices> {
  return servicesFor(config, await connectDb(config.DATABASE_URL));
}

/** The services around an already connected database (tests bring their own). */
export function servicesFor(config: AppConfig, db: Db): AppServices {
  const { mailer, devOutbox } = createMailer(config);
  const runs = new RunRegistry();
  const runEvents = createRunEventLog(config);
  const rateLimits = createRateLimits({ prefix: config.RATE_LIMIT_PREFIX, redisUrl: config.REDIS_URL });
  // A stop for one of this process's runs, asked on another process.
  runEvents.onStopRequest((runId, modelId) => runs.get(runId)?.stop(modelId ?? undefined));
  return {
    db,
    config,
    models: loadModelRegistry(config.LLM_ENDPOINTS),
    llm: createLlmGateway(config),
    runs,
    runEvents,
    lifecycle: { draining: false },
    instance: processIdentity(),
    background: new BackgroundTasks(),
    now: () => new Date(),
    mailer,
    devOutbox,
    rateLimits,
    webSearch: createWebSearchGateway(config, rateLimits),
    stripe: createStripe(config),
  };
}

function createRunEventLog(config: AppConfig): RunEventLog {
  if (!config.REDIS_URL) return new MemoryRunEventLog(config.RUN_EVENTS_RETAIN_MS);
  return new RedisRunEventLog({
    url: config.REDIS_URL,
    prefix: config.RUN_EVENTS_PREFIX,
    retainMs: config.RUN_EVENTS_RETAIN_MS,
    log: (error, message) => console.error(message, error),
  });
}

/**
 * Renew this process's credit-hold leases and settle the runs of processes that are gone: once now (so a
 * restart after a crash settles what the crash left), then in the background. Returns the keeper (stop
 * it before closing the services) and how many abandoned runs the first sweep settled.
 */
export async function startHoldKeeper(
  services: AppServices,
): Promise<{ keeper: HoldKeeper; recovered: number }> {
  const keeper = new HoldKeeper(
    {
      db: services.db,
      models: services.models,
      runs: services.runs,
      runEvents: services.runEvents,
      instance: services.instance,
      now: services.now,
      log: (error, message) => console.error(message, error),
    },
    { leaseMs: services.config.HOLD_LEASE_MS, sweepMs: services.config.HOLD_SWEEP_MS },
  );
  return { keeper, recovered: await keeper.start() };
}

export async function closeServices(services: AppServices): Promise<void> {
  // Runs in flight are stopped and settled first: their partial answers and charges are saved.
  await services.runs.stopAll();
  await services.background.drain();
  await Promise.all([services.mailer.close(), services.rateLimits.close(), services.runEvents.close()]);
  await services.db.destroy();
}
