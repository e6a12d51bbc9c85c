import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface FakeStripeRequest {
  method: string;
  path: string;
  /** The form-encoded body as Stripe's bracket keys (`line_items[0][price]`). */
  form: Record<string, string>;
  idempotencyKey: string | null;
}

export interface FakeStripe {
  /** e.g. http://127.0.0.1:41234, for STRIPE_API_URL. */
  url: string;
  requests: FakeStripeRequest[];
  /** Meter events Stripe kept (deduplicated by identifier, as Stripe does). */
  meterEvents: Map<string, { event_name: string; payload: Record<string, string> }>;
  close(): Promise<void>;
}

export const FAKE_WEBHOOK_SECRET = 'whsec_test_fake_secret';

/** Price ids of the test config; see stripeTestConfig. */
export const TEST_PRICES = {
  STRIPE_PRICE_STARTER_MONTHLY: 'price_starter_m',
  STRIPE_PRICE_STARTER_YEARLY: 'price_starter_y',
  STRIPE_PRICE_STARTER_PLUS_MONTHLY: 'price_starter_plus_m',
  STRIPE_PRICE_STARTER_PLUS_YEARLY: 'price_starter_plus_y',
  STRIPE_PRICE_PRO_MONTHLY: 'price_pro_m',
  STRIPE_PRICE_PRO_YEARLY: 'price_pro_y',
  STRIPE_PRICE_PRO_PLUS_MONTHLY: 'price_pro_plus_m',
  STRIPE_PRICE_PRO_PLUS_YEARLY: 'price_pro_plus_y',
  STRIPE_PRICE_OVERAGE: 'price_overage_metered',
} as const;

/** The config overrides that point the app at a fake Stripe. */
export function stripeTestConfig(fake: FakeStripe) {
  return {
    STRIPE_SECRET_KEY: 'sk_test_fake',
    STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
    STRIPE_API_URL: fake.url,
    ...TEST_PRICES,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in for api.stripe.com on loopback: records every request and answers the calls billing makes
 * (customers, Checkout Sessions, Billing Portal sessions, Billing Meter events) the way Stripe does.
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeStripeRequest[] = [];
  const meterEvents = new Map<string, { event_name: string; payload: Record<string, string> }>();
  let counter = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const key = req.headers['idempotency-key'];
      requests.push({
        method: req.method ?? 'GET',
        path,
        form,
        idempotencyKey: typeof key === 'string' ? key : null,
      });
      counter += 1;
      const created = Math.floor(Date.now() / 1000);
      let status = 200;
      let body: Record<string, unknown>;
      if (req.method === 'POST' && path === '/v1/customers') {
        body = { id: `cus_fake_${counter}`, object: 'customer', email: form.email ?? null, created };
      } else if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        const id = `cs_test_${counter}`;
        body = {
          id,
          object: 'checkout.session',
          mode: 'subscription',
          url: `https://checkout.stripe.test/c/pay/${id}`,
        };
      } else if (req.method === 'POST' && path === '/v1/billing_portal/sessions') {
        body = {
          id: `bps_${counter}`,
          object: 'billing_portal.session',
          url: `https://billing.stripe.test/p/session/${counter}`,
        };
      } else if (req.method === 'POST' && path === '/v1/billing/meter_events') {
        const identifier = form.identifier ?? `mev_${counter}`;
        const payload = {
          stripe_customer_id: form['payload[stripe_customer_id]'] ?? '',
          value: form['payload[value]'] ?? '',
        };
        if (!meterEvents.has(identifier))
          meterEvents.set(identifier, { event_name: form.event_name ?? '', payload });
        body = {
          object: 'billing.meter_event',
          event_name: form.event_name,
          identifier,
          payload,
          created,
          livemode: false,
          timestamp: Number(form.timestamp ?? created),
        };
      } else {
        status = 404;
        body = {
          error: {
            type: 'invalid_request_error',
            message: `Unrecognized request URL (${req.method}: ${path})`,
          },
        };
      }
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${counter}` });
      res.end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? (address as AddressInfo).port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    meterEvents,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let eventCounter = 0;

/** A webhook body as Stripe sends it, and its signature header made with the SDK's test helper. */
export function signedEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number; secret?: string } = {},
): { id: string; payload: string; signature: string } {
  eventCounter += 1;
  const id = options.id ?? `evt_test_${Date.now()}_${eventCounter}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-09-30.clover',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  const stripe = new Stripe('sk_test_signing_only');
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? FAKE_WEBHOOK_SECRET,
  });
  return { id, payload, signature };
}

/** POST a signed event to the app's webhook route over real HTTP. */
export async function postEvent(
  baseUrl: string,
  event: { payload: string; signature: string | null },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (event.signature !== null) headers['stripe-signature'] = event.signature;
  const response = await fetch(`${baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers,
    body: event.payload,
  });
  return { status: response.status, body: await response.json() };
}
