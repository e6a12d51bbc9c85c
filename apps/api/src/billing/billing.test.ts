import type { User } from '@compareintel/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import {
  type FakeStripe,
  postEvent,
  signedEvent,
  startFakeStripe,
  stripeTestConfig,
  TEST_PRICES,
} from '../testing/fake-stripe-server';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

const DAY = 86_400;
let stripe: FakeStripe;
let app: TestApp;
let http: TestServer;
const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

beforeAll(async () => {
  stripe = await startFakeStripe();
  app = await createTestApp(stripeTestConfig(stripe), { now: clock.now });
  http = await startTestServer(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
  await stripe.close();
});

async function send(
  type: string,
  object: Record<string, unknown>,
  options: { created?: number; id?: string } = {},
) {
  const event = signedEvent(type, object, { created: options.created ?? nowSeconds(), id: options.id });
  const response = await postEvent(http.url, event);
  expect(response.status).toBe(200);
  return { ...event, response };
}

function invoice(
  user: User,
  id: string,
  reason: string,
  price: string,
  start: number,
  end: number,
  cents: number,
) {
  return {
    id,
    object: 'invoice',
    customer: user.stripe_customer_id,
    billing_reason: reason,
    amount_paid: cents,
    amount_due: cents,
    currency: 'usd',
    parent: { subscription_details: { subscription: 'sub_life', metadata: { userId: String(user.id) } } },
    lines: { data: [{ period: { start, end }, pricing: { price_details: { price } } }] },
  };
}

function subscription(user: User, price: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'sub_life',
    object: 'subscription',
    customer: user.stripe_customer_id,
    status: 'active',
    cancel_at_period_end: false,
    metadata: { userId: String(user.id) },
    items: { data: [{ price: { id: price } }] },
    ...extra,
  };
}

const userRow = (id: number) => app.db.models.User.query().findById(id).throwIfNotFound();
const historyOf = (id: number) =>
  app.db.models.SubscriptionHistory.query().where('user_id', id).orderBy('id');
const paymentsOf = (id: number) =>
  app.db.models.PaymentTransaction.query().where('user_id', id).orderBy('id');
const creditsOf = (id: number) => app.db.models.CreditTransaction.query().where('user_id', id).orderBy('id');

describe('a subscription from checkout to deletion, through signed webhooks over HTTP', () => {
  it('writes every row of checkout → paid → renewal → upgrade → payment failed → cancel → deleted', async () => {
    const { user: created } = await createTestUser(app.db);
    const caller = await app.callerAs(created);

    // Checkout: a Stripe customer is created once, and a Checkout Session for starter × monthly.
    const { url } = await caller.billing.createCheckout({ tier: 'starter', period: 'monthly' });
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const checkoutCall = stripe.requests.find((r) => r.path === '/v1/checkout/sessions');
    const user = await userRow(created.id);
    expect(user.stripe_customer_id).toMatch(/^cus_fake_/);
    expect(checkoutCall?.form).toMatchObject({
      mode: 'subscription',
      customer: user.stripe_customer_id,
      client_reference_id: String(user.id),
      'line_items[0][price]': TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
      'line_items[0][quantity]': '1',
      'line_items[1][price]': TEST_PRICES.STRIPE_PRICE_OVERAGE,
      'metadata[tier]': 'starter',
      'subscription_data[metadata][userId]': String(user.id),
    });

    // checkout.session.completed: the plan starts, history `initial`, a pending payment.
    await send('checkout.session.completed', {
      id: 'cs_life',
      object: 'checkout.session',
      customer: user.stripe_customer_id,
      subscription: 'sub_life',
      invoice: 'in_first',
      client_reference_id: String(user.id),
      metadata: { userId: String(user.id), tier: 'starter', period: 'monthly' },
      amount_total: 900,
      currency: 'usd',
    });
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'starter',
      subscription_status: 'active',
    });
    expect(await historyOf(user.id)).toMatchObject([
      {
        previous_tier: 'free',
        new_tier: 'starter',
        period: 'monthly',
        amount_paid: 9,
        stripe_payment_id: 'sub_life',
        reason: 'initial',
      },
    ]);
    expect(await paymentsOf(user.id)).toMatchObject([
      { stripe_payment_intent_id: 'in_first', amount: 9, currency: 'USD', status: 'pending' },
    ]);

    // invoice.paid (the first invoice): the period and its pool; the payment succeeded.
    const start = nowSeconds();
    const end = start + 30 * DAY;
    await send(
      'invoice.paid',
      invoice(
        user,
        'in_first',
        'subscription_create',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        start,
        end,
        900,
      ),
    );
    let row = await userRow(user.id);
    expect(row).toMatchObject({
      subscription_tier: 'starter',
      subscription_period: 'monthly',
      monthly_credits_allocated: 720,
      credits_used_this_period: 0,
    });
    expect(row.billing_period_start?.getTime()).toBe(start * 1000);
    expect(row.billing_period_end?.getTime()).toBe(end * 1000);
    expect(row.credits_reset_at?.getTime()).toBe(end * 1000);
    expect(await historyOf(user.id)).toHaveLength(1);
    expect(await paymentsOf(user.id)).toMatchObject([
      { stripe_payment_intent_id: 'in_first', status: 'succeeded' },
    ]);
    // The free daily pool the user had ends (its leftover expires) and the plan's pool is allocated.
    expect((await creditsOf(user.id)).map((c) => [c.transaction_type, c.credits_amount])).toEqual([
      ['expiration', -100],
      ['allocation', 720],
    ]);
    expect(await caller.billing.status()).toMatchObject({
      tier: 'starter',
      status: 'active',
      periodEnd: new Date(end * 1000).toISOString(),
      credits: { allocated: 720, used: 0 },
      overage: { available: true, enabled: false },
    });

    // Overage on for this period, 100 credits spent; then the renewal.
    await caller.billing.setOverage({ enabled: true, capUsd: 5 });
    await app.db.models.User.query().patch({ credits_used_this_period: 100 }).where('id', user.id);
    clock.advance(30 * DAY * 1000);
    const end2 = end + 30 * DAY;
    await send(
      'invoice.paid',
      invoice(
        user,
        'in_second',
        'subscription_cycle',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        end,
        end2,
        900,
      ),
    );
    row = await userRow(user.id);
    expect(row).toMatchObject({ monthly_credits_allocated: 720, credits_used_this_period: 0 });
    expect(row.billing_period_end?.getTime()).toBe(end2 * 1000);
    expect((await historyOf(user.id)).at(-1)).toMatchObject({
      previous_tier: 'starter',
      new_tier: 'starter',
      amount_paid: 9,
      stripe_payment_id: 'in_second',
      reason: 'renewal',
    });
    expect((await creditsOf(user.id)).map((c) => [c.transaction_type, c.credits_amount])).toEqual([
      ['expiration', -100],
      ['allocation', 720],
      ['expiration', -620],
      ['allocation', 720],
    ]);
    // Overage is off again after the renewal (the cap is kept as the next default).
    expect((await caller.billing.status()).overage).toMatchObject({
      enabled: false,
      capUsd: 5,
      creditsUsed: 0,
    });

    // Upgrade mid-period: pro at once, the rest of its pool allocated now.
    await app.db.models.User.query().patch({ credits_used_this_period: 200 }).where('id', user.id);
    clock.advance(DAY * 1000);
    await send('customer.subscription.updated', subscription(user, TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY));
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'pro',
      monthly_credits_allocated: 3300,
      credits_used_this_period: 200,
    });
    expect((await historyOf(user.id)).at(-1)).toMatchObject({
      previous_tier: 'starter',
      new_tier: 'pro',
      stripe_payment_id: 'sub_life',
      reason: 'upgrade',
    });
    expect((await creditsOf(user.id)).at(-1)).toMatchObject({
      transaction_type: 'allocation',
      credits_amount: 2580,
    });

    // A payment fails: recorded, status past_due, the plan kept while Stripe retries.
    clock.advance(DAY * 1000);
    await send(
      'invoice.payment_failed',
      invoice(
        user,
        'in_third',
        'subscription_update',
        TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY,
        end2,
        end2 + 30 * DAY,
        3900,
      ),
    );
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'pro',
      subscription_status: 'past_due',
    });
    expect((await paymentsOf(user.id)).at(-1)).toMatchObject({
      stripe_payment_intent_id: 'in_third',
      amount: 39,
      status: 'failed',
    });

    // Cancel at period end (in the portal): access kept, shown as ending.
    clock.advance(DAY * 1000);
    await send(
      'customer.subscription.updated',
      subscription(user, TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY, { cancel_at_period_end: true }),
    );
    expect(await caller.billing.status()).toMatchObject({
      tier: 'pro',
      status: 'active',
      cancelAtPeriodEnd: true,
    });

    // Deleted: history `cancellation`, still pro until the paid period ends, then free.
    clock.advance(DAY * 1000);
    await send(
      'customer.subscription.deleted',
      subscription(user, TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY, { status: 'canceled' }),
    );
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'pro',
      subscription_status: 'canceled',
    });
    expect((await historyOf(user.id)).at(-1)).toMatchObject({
      previous_tier: 'pro',
      new_tier: 'free',
      reason: 'cancellation',
    });
    clock.advance(40 * DAY * 1000);
    expect(await caller.credits.balance()).toMatchObject({ allocated: 100, used: 0, period: 'day' });
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'free',
      monthly_credits_allocated: 100,
    });
    // The paid pool's leftover expired, then the free pool was allocated.
    expect((await creditsOf(user.id)).slice(-2)).toMatchObject([
      { transaction_type: 'expiration', credits_amount: -3100 },
      { transaction_type: 'allocation', credits_amount: 100 },
    ]);

    // A refund of the renewal payment.
    await send('charge.refunded', {
      id: 'ch_refund',
      object: 'charge',
      customer: user.stripe_customer_id,
      invoice: 'in_second',
      payment_intent: 'pi_second',
      amount_refunded: 900,
      currency: 'usd',
    });
    expect((await paymentsOf(user.id)).find((p) => p.stripe_payment_intent_id === 'in_second')).toMatchObject(
      {
        status: 'refunded',
      },
    );
    const invoices = await caller.billing.invoices();
    expect(invoices.items.map((i) => [i.stripeId, i.status])).toEqual([
      ['in_third', 'failed'],
      ['in_second', 'refunded'],
      ['in_first', 'succeeded'],
    ]);
    expect((await historyOf(user.id)).map((h) => h.reason)).toEqual([
      'initial',
      'renewal',
      'upgrade',
      'cancellation',
    ]);
  });

  it('applies a downgrade at the end of the period, at the next invoice', async () => {
    const { user: created } = await createTestUser(app.db, { stripe_customer_id: `cus_down_${Date.now()}` });
    const user = await userRow(created.id);
    const start = nowSeconds();
    await send(
      'invoice.paid',
      invoice(
        user,
        `in_d1_${user.id}`,
        'subscription_create',
        TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY,
        start,
        start + 30 * DAY,
        3900,
      ),
    );
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'pro',
      monthly_credits_allocated: 3300,
    });
    await send(
      'customer.subscription.updated',
      subscription(user, TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY),
      { created: start + 10 },
    );
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'pro',
      monthly_credits_allocated: 3300,
    });
    await send(
      'invoice.paid',
      invoice(
        user,
        `in_d2_${user.id}`,
        'subscription_cycle',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        start + 30 * DAY,
        start + 60 * DAY,
        900,
      ),
    );
    expect(await userRow(user.id)).toMatchObject({
      subscription_tier: 'starter',
      monthly_credits_allocated: 720,
    });
    expect((await historyOf(user.id)).map((h) => [h.previous_tier, h.new_tier, h.reason])).toEqual([
      ['free', 'pro', 'initial'],
      ['pro', 'starter', 'downgrade'],
    ]);
  });
});

describe('webhook safety', () => {
  async function paidUser() {
    const { user: created } = await createTestUser(app.db, {
      stripe_customer_id: `cus_idem_${Math.random()}`,
    });
    const user = await userRow(created.id);
    const start = nowSeconds();
    await send(
      'invoice.paid',
      invoice(
        user,
        `in_a_${user.id}`,
        'subscription_create',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        start,
        start + 30 * DAY,
        900,
      ),
    );
    return { user, start };
  }

  it('changes the data once for a replayed event and for concurrent duplicate deliveries', async () => {
    const { user, start } = await paidUser();
    const renewal = signedEvent(
      'invoice.paid',
      invoice(
        user,
        `in_b_${user.id}`,
        'subscription_cycle',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        start + 30 * DAY,
        start + 60 * DAY,
        900,
      ),
    );
    const responses = await Promise.all(Array.from({ length: 6 }, () => postEvent(http.url, renewal)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const outcomes = responses.map((r) => (r.body as { outcome: string }).outcome).sort();
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await postEvent(http.url, renewal)).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect((await historyOf(user.id)).filter((h) => h.reason === 'renewal')).toHaveLength(1);
    expect((await creditsOf(user.id)).filter((c) => c.transaction_type === 'allocation')).toHaveLength(2);
    expect(await paymentsOf(user.id)).toHaveLength(2);
    expect(await app.db.models.StripeEvent.query().where('id', renewal.id)).toHaveLength(1);

    // The same invoice again under another event id starts no second period.
    await send(
      'invoice.paid',
      invoice(
        user,
        `in_b_${user.id}`,
        'subscription_cycle',
        TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY,
        start + 30 * DAY,
        start + 60 * DAY,
        900,
      ),
    );
    expect((await creditsOf(user.id)).filter((c) => c.transaction_type === 'allocation')).toHaveLength(2);
  });

  it('applies subscription events by their timestamps: an older one arriving late changes nothing', async () => {
    const { user, start } = await paidUser();
    await send('customer.subscription.updated', subscription(user, TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY), {
      created: start + 100,
    });
    // An older update (still on starter, cancelling) delivered after the newer one.
    const late = await send(
      'customer.subscription.updated',
      subscription(user, TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY, { cancel_at_period_end: true }),
      { created: start + 50 },
    );
    expect(late.response.body).toMatchObject({ outcome: 'ignored' });
    expect(await userRow(user.id)).toMatchObject({ subscription_tier: 'pro' });
    expect(await app.db.models.BillingSubscription.query().findById(user.id)).toMatchObject({
      cancel_at_period_end: false,
      pending_tier: null,
    });
  });

  it('answers 400 and writes nothing for a bad, missing or stale signature, or a tampered body', async () => {
    const { user } = await paidUser();
    const before = await app.db.models.StripeEvent.query().resultSize();
    const object = subscription(user, TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY);
    const wrongSecret = signedEvent('customer.subscription.updated', object, {
      secret: 'whsec_someone_else',
    });
    expect((await postEvent(http.url, wrongSecret)).status).toBe(400);
    const good = signedEvent('customer.subscription.updated', object);
    expect((await postEvent(http.url, { payload: good.payload, signature: null })).status).toBe(400);
    const tampered = good.payload.replace(
      TEST_PRICES.STRIPE_PRICE_PRO_MONTHLY,
      TEST_PRICES.STRIPE_PRICE_PRO_PLUS_MONTHLY,
    );
    expect((await postEvent(http.url, { payload: tampered, signature: good.signature })).status).toBe(400);
    expect((await postEvent(http.url, { payload: good.payload, signature: 't=1,v1=00' })).status).toBe(400);
    expect(await app.db.models.StripeEvent.query().resultSize()).toBe(before);
    expect(await userRow(user.id)).toMatchObject({ subscription_tier: 'starter' });
  });
});

describe('billing procedures', () => {
  it('lists the five plans from packages/shared with the caller’s plan marked', async () => {
    const { user } = await createTestUser(app.db, {
      subscription_tier: 'pro',
      subscription_period: 'yearly',
    });
    const plans = await (await app.callerAs(user)).billing.plans();
    expect(plans.configured).toBe(true);
    expect(plans.currentTier).toBe('pro');
    expect(plans.currentPeriod).toBe('yearly');
    expect(plans.plans.map((p) => [p.tier, p.credits, p.priceMonthlyUsd, p.priceYearlyUsd])).toEqual([
      ['free', 100, 0, 0],
      ['starter', 720, 9, 90],
      ['starter_plus', 1600, 19, 190],
      ['pro', 3300, 39, 390],
      ['pro_plus', 6700, 79, 790],
    ]);
    expect((await app.caller().billing.plans()).currentTier).toBeNull();
  });

  it('opens the customer portal for a customer, refuses overage for free plans and a second checkout', async () => {
    const { user } = await createTestUser(app.db, {
      stripe_customer_id: 'cus_portal',
      subscription_tier: 'starter',
      monthly_credits_allocated: 720,
      credits_reset_at: new Date(clock.now().getTime() + 10 * DAY * 1000),
    });
    const caller = await app.callerAs(user);
    expect((await caller.billing.portal()).url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(stripe.requests.find((r) => r.path === '/v1/billing_portal/sessions')?.form).toMatchObject({
      customer: 'cus_portal',
      return_url: 'http://localhost:5173/settings/billing',
    });
    expect(
      (await callerFailure(caller.billing.createCheckout({ tier: 'pro', period: 'monthly' }))).code,
    ).toBe('CONFLICT');
    const free = await app.callerAs((await createTestUser(app.db)).user);
    expect((await callerFailure(free.billing.setOverage({ enabled: true, capUsd: 10 }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await callerFailure(free.billing.portal())).code).toBe('PRECONDITION_FAILED');
    expect((await callerFailure(caller.billing.setOverage({ enabled: true, capUsd: 0 }))).code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('without a Stripe key', () => {
  it('runs as before: plans say billing is not configured, procedures name Stripe', async () => {
    const bare = await createTestApp({}, { now: clock.now });
    try {
      const { user } = await createTestUser(bare.db);
      const caller = await bare.callerAs(user);
      expect((await caller.billing.plans()).configured).toBe(false);
      for (const call of [
        () => caller.billing.createCheckout({ tier: 'starter', period: 'monthly' }),
        () => caller.billing.portal(),
        () => caller.billing.status(),
        () => caller.billing.setOverage({ enabled: false, capUsd: 0 }),
        () => caller.billing.invoices(),
      ]) {
        const error = await callerFailure(call());
        expect(error.code).toBe('PRECONDITION_FAILED');
        expect(error.message).toContain('Stripe');
      }
    } finally {
      await bare.close();
    }
  });
});

describe('Stripe configuration', () => {
  it('needs the webhook secret and every price once a key is set, and validates their shape', async () => {
    const { loadConfig } = await import('../env');
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'nope' })).toThrow(
      /STRIPE_SECRET_KEY must be a Stripe secret key/,
    );
    expect(() =>
      loadConfig({
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        STRIPE_PRICE_STARTER_MONTHLY: 'price_a',
      }),
    ).toThrow(/STRIPE_PRICE_STARTER_YEARLY is required/);
    const full = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      ...TEST_PRICES,
    });
    expect(full.STRIPE_PRICE_PRO_PLUS_YEARLY).toBe('price_pro_plus_y');
    expect(loadConfig({}).STRIPE_SECRET_KEY).toBeUndefined();
  });
});
