import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import type { AppServices } from '../context';
import { applyStripeEvent } from './apply-stripe-event';

/**
 * POST /webhooks/stripe: the raw body is verified with the SDK against STRIPE_WEBHOOK_SECRET (a bad or
 * missing signature is a 400 and nothing is written), then applied once per event id. Registered in its
 * own plugin scope so the raw-body parser touches no other route.
 */
export async function registerStripeWebhook(app: FastifyInstance, services: AppServices): Promise<void> {
  const { stripe, config } = services;
  const secret = config.STRIPE_WEBHOOK_SECRET;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/stripe', async (req, reply) => {
      if (!stripe || !secret)
        return reply.code(503).send({ error: 'Billing is not configured (no Stripe key).' });
      const signature = req.headers['stripe-signature'];
      if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) {
        return reply.code(400).send({ error: 'Missing Stripe signature.' });
      }
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(req.body, signature, secret);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          return reply.code(400).send({ error: 'Invalid Stripe signature.' });
        }
        throw error;
      }
      const outcome = await applyStripeEvent({ db: services.db, config, now: services.now() }, event);
      return reply.send({ received: true, outcome });
    });
  });
}
