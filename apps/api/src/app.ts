import { connectDb, type Db } from '@compareintel/db';
import { createRateLimits } from './auth/rate-limits';
import { AnonymousHolds } from './compare/anonymous-holds';
import { RunRegistry } from './compare/run-registry';
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
  return {
    db,
    config,
    models: loadModelRegistry(config.LLM_ENDPOINTS),
    llm: createLlmGateway(config),
    runs: new RunRegistry(),
    anonymousHolds: new AnonymousHolds(),
    now: () => new Date(),
    mailer,
    devOutbox,
    rateLimits: createRateLimits({ prefix: config.RATE_LIMIT_PREFIX, redisUrl: config.REDIS_URL }),
  };
}

export async function closeServices(services: AppServices): Promise<void> {
  // Runs in flight are stopped and settled first: their partial answers and charges are saved.
  await services.runs.stopAll();
  await Promise.all([services.mailer.close(), services.rateLimits.close()]);
  await services.db.destroy();
}
