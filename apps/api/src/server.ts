import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, MAX_BATCH_CALLS } from '@compareintel/shared';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { ipKey } from './auth/rate-limits';
import { registerStripeWebhook } from './billing/webhook-route';
import { type AppServices, createContextFactory } from './context';
import { checkHealth, checkReadiness } from './health/check-health';
import { renderOutboxPage } from './providers/mail/dev-outbox-page';
import { type AppRouter, appRouter } from './router';
import { readSharedConversation } from './shares/read-shared-conversation';
import { withSharePageHead } from './shares/share-page-head';

/** Prompts travel in POST bodies (mutations, and queries sent as POST): request heads stay small. */
export const MAX_REQUEST_HEADER_BYTES = 64 * 1024;

interface IncomingFacts {
  socket: { remoteAddress?: string | undefined };
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
}

function header(req: IncomingFacts, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Fastify's trust rule for `TRUST_PROXY`: a hop count trusts that many proxies in front (hop 0 is the socket's peer). */
function trustRule(setting: false | number | string[]) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

/** The socket's own peer (never X-Forwarded-For) is on this machine. */
function fromLoopback(req: IncomingFacts): boolean {
  const peer = req.socket.remoteAddress ?? '';
  return peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
}

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * A browser request from another site: its Origin (or, without one, its Referer) is neither the web
 * app's (APP_URL) nor this server's own. Requests with neither header (scripts, the CLI) are not
 * browsers' cross-site requests.
 */
function fromAnotherSite(req: IncomingFacts, appUrl: string): boolean {
  if (header(req, 'sec-fetch-site') === 'cross-site') return true;
  const origin = originOf(header(req, 'origin')) ?? originOf(header(req, 'referer'));
  if (origin === null) return false;
  const own = [new URL(appUrl).origin, `${req.protocol}://${header(req, 'host') ?? ''}`];
  return !own.includes(origin);
}

/** The HTTP face of the API: tRPC under /trpc, /healthz, and the built web app when one is present. */
export async function buildServer(services: AppServices): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            // Query strings carry subscription input (a visitor's run secret): only the path is logged.
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({
                id: req.id,
                method: req.method,
                path: req.url.split('?')[0],
              }),
            },
          },
    // On shutdown, after the runs here are drained, open streams are cut so their clients reconnect elsewhere.
    forceCloseConnections: true,
    trustProxy: trustRule(config.TRUST_PROXY),
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 2 * 1024 * 1024,
    http: { maxHeaderSize: MAX_REQUEST_HEADER_BYTES },
  });

  await app.register(fastifyCookie);
  // Subscriptions are GETs, and a SameSite=Lax cookie rides along on cross-site navigations: browsers
  // label such requests, so API calls from another site are refused outright.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/trpc') && fromAnotherSite(req, config.APP_URL)) {
      return reply.code(403).send({ error: 'Cross-site requests to the API are not allowed.' });
    }
  });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: createContextFactory(services),
      // One request may carry a few calls, not hundreds: a batch costs the server what it costs the caller.
      maxBatchSize: MAX_BATCH_CALLS,
      // Queries whose input is large (an estimate carries the prompt) may come as POST instead of in a URL.
      allowMethodOverride: true,
      onError({ error, path: procedurePath }) {
        // Refusals (credits, tier, validation) are answers, not failures: only real faults are logged.
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError))
          app.log.error({ err: error, path: procedurePath }, 'trpc error');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  await registerStripeWebhook(app, services);

  // Liveness: the process answers and its database is reachable.
  app.get('/healthz', async (_req, reply) => {
    const health = await checkHealth({ db: services.db });
    return reply.code(health.ok ? 200 : 503).send(health);
  });

  // Readiness: send this process new work (a load balancer stops when it answers 503, e.g. while draining).
  app.get('/readyz', async (_req, reply) => {
    const ready = await checkReadiness(services);
    return reply.code(ready.ready ? 200 : 503).send(ready);
  });

  // The development outbox (mail is not sent when SMTP_URL is unset); never served in production, and
  // only to this machine: its reset links would let anyone who reaches the API take over accounts.
  const outbox = services.devOutbox;
  if (outbox && config.NODE_ENV !== 'production') {
    app.get<{ Querystring: { format?: string } }>('/dev/mail', async (req, reply) => {
      if (!fromLoopback(req)) return reply.code(404).send({ error: 'Not found' });
      if (req.query.format === 'json') return reply.send({ mails: outbox.list() });
      return reply.type('text/html; charset=utf-8').send(renderOutboxPage(outbox.list()));
    });
  }

  // A relative WEB_DIST_DIR is taken from the working directory (the static plugin needs an absolute one).
  const webDist = config.WEB_DIST_DIR
    ? path.resolve(config.WEB_DIST_DIR)
    : path.resolve(import.meta.dirname, '../../web/dist');
  if (existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    const indexHtml = readFileSync(path.join(webDist, 'index.html'), 'utf8');
    // A shared page's head names what it shows (link previews run no scripts); a dead link is the app's
    // own 404 page, with the status to match. Visitors count against the per-IP budget, as for tRPC.
    app.get<{ Params: { token: string } }>('/s/:token', async (req, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        await services.rateLimits.consume('publicPerIp', ipKey(req.ip));
        const shared = await readSharedConversation(services, req.params.token);
        const pageUrl = `${config.APP_URL.replace(/\/+$/, '')}/s/${encodeURIComponent(req.params.token)}`;
        return reply.send(withSharePageHead(indexHtml, shared, pageUrl));
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return reply.code(404).send(indexHtml);
        if (error instanceof AppError) return reply.code(error.httpStatus).send(indexHtml);
        throw error;
      }
    });
    // Client-side routes: any unknown GET that is not an API path gets the app shell.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/trpc')) return reply.sendFile('index.html');
      return reply.code(404).send({ error: 'Not found' });
    });
  }
  return app;
}
