import type { User } from '@compareintel/db';
import {
  OVERAGE_USD_PER_CREDIT,
  overageCapCredits,
  type TCompareEvent,
  type TCompareRunInput,
} from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { createCaller } from '../router';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../testing/fake-openai-server';
import { type FakeStripe, startFakeStripe, stripeTestConfig } from '../testing/fake-stripe-server';
import { compareEvents, createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';
import { waitFor } from '../testing/wait-for';
import { reportOverageCharges } from './report-overage';

const A = 'google/gemini-2.5-flash';
type Caller = ReturnType<typeof createCaller>;

let llm: FakeOpenAiServer;
let stripe: FakeStripe;
let app: TestApp;

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  stripe = await startFakeStripe();
  app = await createTestApp({
    ...stripeTestConfig(stripe),
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: llm.baseUrl,
    MODEL_TIMEOUT_MS: 5000,
  });
});
afterAll(async () => {
  await app.close();
  await stripe.close();
  await llm.close();
});
beforeEach(() => llm.reset());

async function runAll(caller: Caller, input: TCompareRunInput): Promise<TCompareEvent[]> {
  const events: TCompareEvent[] = [];
  for await (const event of compareEvents(caller, input)) events.push(event);
  return events;
}

/** A starter user whose pool is spent, with a Stripe customer. */
async function spentStarter(): Promise<{ user: User; caller: Caller }> {
  const { user } = await createTestUser(app.db, {
    subscription_tier: 'starter',
    monthly_credits_allocated: 720,
    credits_used_this_period: 720,
    stripe_customer_id: `cus_over_${Math.random().toString(36).slice(2)}`,
    credits_reset_at: new Date(Date.now() + 10 * 86_400_000),
    billing_period_end: new Date(Date.now() + 10 * 86_400_000),
  });
  return { user, caller: await app.callerAs(user) };
}

/** The smallest cap in USD (whole cents) that pays for exactly `credits` overage credits. */
function capFor(credits: number): number {
  const usd = Math.ceil(credits * OVERAGE_USD_PER_CREDIT * 100) / 100;
  expect(overageCapCredits(usd)).toBe(credits);
  return usd;
}

describe('overage: opt-in per period, with a cap no concurrency exceeds, billed once', () => {
  it('refuses past the pool while off, admits while on, and refuses again once switched off', async () => {
    const { caller } = await spentStarter();
    llm.setBehavior(A, { text: 'over', costUsd: 0.02 });
    await expect(runAll(caller, { models: [A], prompt: 'off' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
    expect(await caller.compare.estimate({ models: [A], prompt: 'off' })).toMatchObject({ canAfford: false });

    await caller.billing.setOverage({ enabled: true, capUsd: 1 });
    expect(await caller.compare.estimate({ models: [A], prompt: 'on' })).toMatchObject({ canAfford: true });
    const events = await runAll(caller, { models: [A], prompt: 'on' });
    expect(events.at(-1)).toMatchObject({ type: 'done', creditsCharged: 2 });
    expect((await caller.billing.status()).overage).toMatchObject({
      enabled: true,
      creditsUsed: 2,
      usedUsd: 0.026,
    });

    await caller.billing.setOverage({ enabled: false, capUsd: 1 });
    await expect(runAll(caller, { models: [A], prompt: 'off again' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
  });

  it('never goes past the cap under 20 concurrent runs, even when runs cost more than estimated', async () => {
    const { user, caller } = await spentStarter();
    const estimate = (await caller.compare.estimate({ models: [A], prompt: 'go' })).credits;
    expect(estimate).toBeGreaterThan(0);
    // Room for exactly five estimates; each run really costs twice its estimate and more.
    const capCredits = 5 * estimate;
    const capUsd = capFor(capCredits);
    await caller.billing.setOverage({ enabled: true, capUsd });
    llm.setBehavior(A, { text: 'expensive answer', costUsd: (2 * estimate + 1) / 100, ttftMs: 30 });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => runAll(caller, { models: [A], prompt: `go ${i}` })),
    );
    const done = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(done).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'PAYMENT_REQUIRED' });

    const logs = await app.db.models.UsageLog.query().where('user_id', user.id);
    const charged = logs.reduce((sum, log) => sum + (log.credits_used ?? 0), 0);
    const billedUsd = logs.reduce((sum, log) => sum + log.overage_charge, 0);
    expect(charged).toBe(capCredits);
    expect(billedUsd).toBeLessThanOrEqual(capUsd + 1e-9);
    const charges = await app.db.models.OverageCharge.query().where('user_id', user.id);
    expect(charges.reduce((sum, c) => sum + c.credits, 0)).toBe(capCredits);
    expect(await app.db.models.OverageSetting.query().findById(user.id)).toMatchObject({
      credits_used: capCredits,
    });
    expect(await app.db.models.User.query().findById(user.id)).toMatchObject({
      credits_used_this_period: 720 + capCredits,
      monthly_overage_count: 5,
    });
    expect(await app.db.models.CreditHold.query().where('user_id', user.id)).toHaveLength(0);

    // Billed through Stripe meter events once per run, identified by the run, and never again.
    const reported = await waitFor(
      async () =>
        await app.db.models.OverageCharge.query().where('user_id', user.id).whereNotNull('reported_at'),
      (rows) => rows.length === 5,
    );
    expect(reported).toHaveLength(5);
    const customer = user.stripe_customer_id ?? '';
    const events = [...stripe.meterEvents.entries()].filter(
      ([, e]) => e.payload.stripe_customer_id === customer,
    );
    expect(events.map(([id]) => id).sort()).toEqual(charges.map((c) => c.hold_id).sort());
    expect(events.reduce((sum, [, e]) => sum + Number(e.payload.value), 0)).toBe(capCredits);
    expect(events.every(([, e]) => e.event_name === 'compareintel_overage_credits')).toBe(true);
    const sent = stripe.requests.length;
    const again = await reportOverageCharges({
      db: app.db,
      stripe: app.services.stripe ?? expect.unreachable(),
      eventName: 'compareintel_overage_credits',
      now: () => new Date(),
    });
    expect(again).toBe(0);
    expect(stripe.requests.length).toBe(sent);

    // The next run finds the cap used up.
    await expect(runAll(caller, { models: [A], prompt: 'one more' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUIRED',
    });
  });
});
