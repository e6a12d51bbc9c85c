import type { Db, Session, User } from '@compareintel/db';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type Stripe from 'stripe';
import type { RateLimits } from './auth/rate-limits';
import {
  bearerToken,
  MemorySessionCookie,
  replySessionCookie,
  SESSION_COOKIE,
  type SessionCookie,
} from './auth/session-cookie';
import { resolveSession } from './auth/sessions';
import type { BackgroundTasks } from './background';
import type { RunEventLog } from './compare/run-events';
import type { ProcessIdentity } from './compare/run-recovery';
import type { RunRegistry } from './compare/run-registry';
import type { WebSearchGateway } from './compare/web-tools';
import type { AppConfig } from './env';
import type { ModelRegistry } from './models/registry';
import type { LlmGateway } from './providers/llm';
import type { DevOutbox, Mailer } from './providers/mail';

/** Long-lived things the procedures use; built once per process (see app.ts). */
export interface AppServices {
  db: Db;
  config: AppConfig;
  models: ModelRegistry;
  llm: LlmGateway;
  /** Comparisons in flight in this process (their credit holds are rows: see run-recovery.ts). */
  runs: RunRegistry;
  /** Every run's events, readable from any API process (memory, or Redis when REDIS_URL is set). */
  runEvents: RunEventLog;
  /** Whether this process is shutting down (it starts no new comparisons; /readyz answers 503). */
  lifecycle: Lifecycle;
  /** This process, as the credit holds of its runs name it. */
  instance: ProcessIdentity;
  /** The clock every rule reads (tests move it). */
  now(): Date;
  /** Outgoing mail (SMTP, or the console + dev outbox when SMTP_URL is unset). */
  mailer: Mailer;
  /** The mails kept for GET /dev/mail; null with SMTP and in production. */
  devOutbox: DevOutbox | null;
  /** Work done after the answer (see background.ts). */
  background: BackgroundTasks;
  /** Sign-in, sign-up, resend and reset attempt counters (memory, or Redis when REDIS_URL is set). */
  rateLimits: RateLimits;
  /** Search provider, page reader and search limits for models that search the web (compare/web-tools.ts). */
  webSearch: WebSearchGateway;
  /** The Stripe client; null when STRIPE_SECRET_KEY is unset (billing off, see billing/). */
  stripe: Stripe | null;
}

export interface Lifecycle {
  draining: boolean;
}

/** Per-request facts about the caller. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

/** Who is calling: the signed-in, active user and their session, or nulls for a visitor. */
export interface CallerAuth {
  user: User | null;
  session: Session | null;
  /** Where sign-in and sign-out put or remove the session token. */
  cookies: SessionCookie;
}

export interface AppContext extends AppServices, CallerAuth {
  request: RequestInfo;
}

/** The part tests call directly: no HTTP request needed (a visitor unless `auth` says otherwise). */
export function createContextInner(
  services: AppServices,
  request: Partial<RequestInfo> = {},
  auth: Partial<CallerAuth> = {},
): AppContext {
  return {
    ...services,
    request: { ip: request.ip ?? '127.0.0.1', userAgent: request.userAgent ?? null },
    user: auth.user ?? null,
    session: auth.session ?? null,
    cookies: auth.cookies ?? new MemorySessionCookie(),
  };
}

/**
 * The context for a request carrying a session token (from the cookie or a bearer header). An unknown,
 * expired or deactivated session makes a visitor, and a stale cookie is cleared; a session whose expiry
 * slid forward gets its cookie sent again.
 */
export async function createContextForToken(
  services: AppServices,
  options: {
    token: string | null;
    fromCookie: boolean;
    request: Partial<RequestInfo>;
    cookies: SessionCookie;
  },
): Promise<AppContext> {
  const { token, fromCookie, request, cookies } = options;
  const resolved = token ? await resolveSession(services, token) : null;
  if (token && fromCookie) {
    if (!resolved) cookies.clear();
    else if (resolved.extended) cookies.set(token, resolved.session.expires_at);
  }
  return createContextInner(services, request, {
    user: resolved?.user ?? null,
    session: resolved?.session ?? null,
    cookies,
  });
}

export function createContextFactory(services: AppServices) {
  return ({ req, res }: CreateFastifyContextOptions): Promise<AppContext> => {
    const bearer = bearerToken(req.headers.authorization);
    return createContextForToken(services, {
      token: bearer ?? req.cookies[SESSION_COOKIE] ?? null,
      fromCookie: bearer === null,
      request: { ip: req.ip, userAgent: req.headers['user-agent'] ?? null },
      cookies: replySessionCookie(res, services.config),
    });
  };
}
