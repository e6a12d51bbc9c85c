import {
  type FakeStripe,
  postEvent,
  signedEvent,
  startFakeStripe,
  stripeTestConfig,
  TEST_PRICES,
} from '@compareintel/api/internal/testing/fake-stripe-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

/** Pricing → Checkout (a fake Stripe answers the Checkout URL) → webhooks → Settings → Billing. */
describe('buying a plan', () => {
  let stripe: FakeStripe;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const email = `grace.${Date.now()}@example.com`;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    app = await startApp(stripeTestConfig(stripe));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.setDefaultTimeout(10_000);
    // Stripe's hosted pages are not reachable from here: the browser gets a stand-in.
    await page.route('https://checkout.stripe.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<h1>Fake Stripe Checkout</h1>' }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await stripe?.close();
  });

  it('starts Checkout from /pricing, and shows the plan in billing settings after the webhook', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('compiler1952');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('verify-banner').waitFor();
    await page.goto(await mailedLink(app.url, email, '/verify-email?token='));
    await page.getByTestId('verified').waitFor();

    await page.goto(`${app.url}/pricing`);
    const starter = page.getByTestId('plan-starter');
    await starter.waitFor();
    expect(await starter.textContent()).toContain('$9');
    expect(await page.getByTestId('plan-free').textContent()).toContain('Your plan');
    expect(await page.getByTestId('plan-pro_plus').textContent()).toContain('6,700 credits a month');
    await page.getByLabel(/Yearly/).check();
    expect(await starter.textContent()).toContain('$90');
    await page.getByLabel('Monthly', { exact: true }).check();
    await screenshot(page, 'desktop-pricing');
    await starter.getByRole('button', { name: 'Choose Starter' }).click();
    await expect.poll(() => page.url()).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);

    const checkout = stripe.requests.find((r) => r.path === '/v1/checkout/sessions');
    expect(checkout?.form['line_items[0][price]']).toBe(TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY);
    const userId = checkout?.form.client_reference_id ?? '';
    const customer = checkout?.form.customer ?? '';
    const metadata = { userId, tier: 'starter', period: 'monthly' };
    const start = Math.floor(Date.now() / 1000);
    for (const event of [
      signedEvent('checkout.session.completed', {
        id: 'cs_e2e',
        customer,
        subscription: 'sub_e2e',
        invoice: 'in_e2e',
        client_reference_id: userId,
        metadata,
        amount_total: 900,
        currency: 'usd',
      }),
      signedEvent('invoice.paid', {
        id: 'in_e2e',
        customer,
        billing_reason: 'subscription_create',
        amount_paid: 900,
        amount_due: 900,
        currency: 'usd',
        parent: { subscription_details: { subscription: 'sub_e2e', metadata } },
        lines: {
          data: [
            {
              period: { start, end: start + 30 * 86_400 },
              pricing: { price_details: { price: TEST_PRICES.STRIPE_PRICE_STARTER_MONTHLY } },
            },
          ],
        },
      }),
    ]) {
      expect((await postEvent(app.url, event)).status).toBe(200);
    }

    await page.goto(`${app.url}/settings/billing`);
    await expect.poll(() => page.getByTestId('billing-plan').textContent()).toContain('Starter');
    expect(await page.getByTestId('billing-settings').textContent()).toContain('0 of 720 credits used');
    expect(await page.getByTestId('payments-table').textContent()).toContain('succeeded');
    expect(await page.getByTestId('overage-used').textContent()).toContain('Overage this period: 0 credits');
    await screenshot(page, 'desktop-billing');
  });
});
