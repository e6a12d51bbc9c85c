import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerStripeWebhook } from './billing/webhook-route';
import { type AppServices, createContextFactory } from './context';
import { checkHealth } from './health/check-health';
import { renderOutboxPage } from './providers/mail/dev-outbox-page';
import { type AppRouter, appRouter } from './router';

export const MAX_REQUEST_HEADER_BYTES = 1_600_000;

/** The HTTP face of the API: tRPC under /trpc, /healthz, and the built web app when one is present. */
export async function buildServer(services: AppServices): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    trustProxy: config.TRUST_PROXY,
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 2 * 1024 * 1024,
    // Subscriptions travel as GET (SSE): a 100,000-character prompt is in the URL, up to ~900 kB encoded.
    http: { maxHeaderSize: MAX_REQUEST_HEADER_BYTES },
  });

  await app.register(fastifyCookie);
  // Subscriptions (which spend credits) are GETs, and a SameSite=Lax cookie rides along on cross-site
  // navigations: browsers label such requests, so API calls from another site are refused outright.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/trpc') && req.headers['sec-fetch-site'] === 'cross-site') {
      return reply.code(403).send({ error: 'Cross-site requests to the API are not allowed.' });
    }
  });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: createContextFactory(services),
      onError({ error, path: procedurePath }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          app.log.error({ err: error, path: procedurePath }, 'trpc error');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  await registerStripeWebhook(app, services);

  app.get('/healthz', async (_req, reply) => {
    const health = await checkHealth({ db: services.db });
    return reply.code(health.ok ? 200 : 503).send(health);
  });

  // The development outbox (mail is not sent when SMTP_URL is unset); never served in production.
  const outbox = services.devOutbox;
  if (outbox && config.NODE_ENV !== 'production') {
    app.get<{ Querystring: { format?: string } }>('/dev/mail', async (req, reply) => {
      if (req.query.format === 'json') return reply.send({ mails: outbox.list() });
      return reply.type('text/html; charset=utf-8').send(renderOutboxPage(outbox.list()));
    });
  }

  const webDist = config.WEB_DIST_DIR ?? path.resolve(import.meta.dirname, '../../web/dist');
  if (existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    // Client-side routes: any unknown GET that is not an API path gets the app shell.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/trpc')) return reply.sendFile('index.html');
      return reply.code(404).send({ error: 'Not found' });
    });
  }
  return app;
}
