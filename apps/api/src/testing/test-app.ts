import { randomBytes } from 'node:crypto';
import type { Session, User } from '@compareintel/db';
import { createTestDb, type TestDb } from '@compareintel/db/testing';
import type { TCompareEvent, TCompareRunInput, TCompareStarted } from '@compareintel/shared';
import type { FastifyInstance } from 'fastify';
import { servicesFor } from '../app';
import { createRateLimits, type RateLimitRules } from '../auth/rate-limits';
import { MemorySessionCookie } from '../auth/session-cookie';
import { startSession } from '../auth/sessions';
import { type AppServices, createContextInner, type RequestInfo } from '../context';
import { type AppConfig, loadConfig } from '../env';
import { createCaller } from '../router';
import { seedDatabase } from '../seed/seed-database';
import { buildServer } from '../server';

export interface TestApp {
  services: AppServices;
  db: TestDb;
  caller(request?: Partial<RequestInfo>): ReturnType<typeof createCaller>;
  /** A caller signed in as `user` through a real session row. */
  callerAs(user: User, request?: Partial<RequestInfo>): Promise<ReturnType<typeof createCaller>>;
  /** Signs `user` in: the session row, its token (for a cookie or bearer header) and a caller using it. */
  signIn(
    user: User,
    request?: Partial<RequestInfo>,
  ): Promise<{ token: string; session: Session; caller: ReturnType<typeof createCaller> }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The clock every service reads (see FakeClock). */
  now?: () => Date;
  /** Tighter or looser limits than production's, per rule. */
  rateLimitRules?: Partial<RateLimitRules>;
}

/** A fresh database (SQLite file or PostgreSQL schema, per TEST_DB) with the app's services on top. */
export async function createTestApp(
  overrides: Partial<AppConfig> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = await createTestDb();
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    // Apps sharing one Redis count apart unless a test gives them the same prefix.
    RATE_LIMIT_PREFIX: `test:${randomBytes(6).toString('hex')}`,
    ...overrides,
  };
  const base = servicesFor(config, db);
  const services: AppServices = {
    ...base,
    now: options.now ?? base.now,
    rateLimits: options.rateLimitRules
      ? createRateLimits({
          prefix: config.RATE_LIMIT_PREFIX,
          redisUrl: config.REDIS_URL,
          rules: options.rateLimitRules,
        })
      : base.rateLimits,
  };
  await seedDatabase({ db }, { createStaff: false, staffEmail: config.STAFF_EMAIL });

  async function signIn(user: User, request: Partial<RequestInfo> = {}) {
    const context = createContextInner(services, request);
    const { token, session } = await startSession(services, user, context.request);
    const cookies = new MemorySessionCookie();
    cookies.set(token, session.expires_at);
    return { token, session, caller: createCaller({ ...context, user, session, cookies }) };
  }

  return {
    services,
    db,
    caller: (request) => createCaller(createContextInner(services, request)),
    signIn,
    async callerAs(user, request) {
      return (await signIn(user, request)).caller;
    },
    async close() {
      const unused = services.rateLimits === base.rateLimits ? [] : [base.rateLimits.close()];
      await Promise.all([
        services.mailer.close(),
        services.rateLimits.close(),
        services.runEvents.close(),
        ...unused,
      ]);
      await db.cleanup();
    },
  };
}

export interface TestServer {
  url: string;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** The same app over real HTTP on an ephemeral loopback port. */
export async function startTestServer(app: TestApp): Promise<TestServer> {
  const server = await buildServer(app.services);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, server, close: () => server.close() };
}

type Caller = ReturnType<typeof createCaller>;

/**
 * A comparison through the caller, as the web app runs one: `compare.start`, then `compare.events`
 * until `done`. A refused start rejects; `onStarted` sees the run before its events are read.
 */
export async function* compareEvents(
  caller: Caller,
  input: TCompareRunInput,
  onStarted?: (started: TCompareStarted) => void,
): AsyncGenerator<TCompareEvent> {
  const started = await caller.compare.start(input);
  onStarted?.(started);
  const events = await caller.compare.events({
    runId: started.runId,
    ...(started.runSecret ? { runSecret: started.runSecret } : {}),
  });
  // Through a caller a tracked event arrives as tRPC's envelope `[id, data, symbol]` (its type says
  // `{ id, data }`, which is what HTTP clients get).
  for await (const envelope of events) yield (envelope as unknown as [string, TCompareEvent])[1];
}

/** Every event of a comparison through the caller (see compareEvents). */
export async function runToEnd(caller: Caller, input: TCompareRunInput): Promise<TCompareEvent[]> {
  const events: TCompareEvent[] = [];
  for await (const event of compareEvents(caller, input)) events.push(event);
  return events;
}
