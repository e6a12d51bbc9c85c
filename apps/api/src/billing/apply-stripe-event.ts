import type { Db, Transaction, User } from '@compareintel/db';
import { isPaidTier, type PaidTier, TIERS } from '@compareintel/shared';
import type Stripe from 'stripe';
import type { AppConfig } from '../env';
import { planOfPrice } from './stripe-gateway';
import {
  fromMinorUnits,
  fromUnixSeconds,
  pricesOfInvoice,
  subscriptionOfInvoice,
  ZChargeObject,
  ZCheckoutSessionObject,
  ZInvoiceObject,
  ZSubscriptionObject,
} from './stripe-payloads';
import {
  endPaidPlan,
  lockedUser,
  recordHistory,
  startBillingPeriod,
  tierOf,
  tierRank,
  upgradeNow,
} from './subscription-changes';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

interface EventDeps {
  db: Db;
  config: AppConfig;
  now: Date;
}

interface EventContext extends EventDeps {
  trx: Transaction;
  event: Stripe.Event;
}

/**
 * Apply one verified Stripe event in one transaction: the event id is recorded first, so the same event
 * delivered twice (or twice at once: the second insert waits for the first and then finds the row)
 * changes the data once. Events the app does not use, or for customers it does not know, are recorded
 * and ignored.
 */
export async function applyStripeEvent(deps: EventDeps, event: Stripe.Event): Promise<EventOutcome> {
  return deps.db.knex.transaction(async (trx) => {
    const inserted = await trx('stripe_events')
      .insert({ id: event.id, type: event.type, event_created: event.created })
      .onConflict('id')
      .ignore()
      .returning('id');
    if (inserted.length === 0) return 'duplicate';
    const context: EventContext = { ...deps, trx, event };
    const object: unknown = event.data.object;
    switch (event.type) {
      case 'checkout.session.completed':
        return checkoutCompleted(context, ZCheckoutSessionObject.parse(object));
      case 'invoice.paid':
        return invoicePaid(context, ZInvoiceObject.parse(object));
      case 'invoice.payment_failed':
        return invoiceFailed(context, ZInvoiceObject.parse(object));
      case 'customer.subscription.updated':
        return subscriptionUpdated(context, ZSubscriptionObject.parse(object));
      case 'customer.subscription.deleted':
        return subscriptionDeleted(context, ZSubscriptionObject.parse(object));
      case 'charge.refunded':
        return chargeRefunded(context, ZChargeObject.parse(object));
      default:
        return 'ignored';
    }
  });
}

/** The user an event is about: by Stripe customer, else by the user id the checkout put in metadata. */
async function findUser(
  { trx, db }: EventContext,
  customer: string | null,
  userIdHint: string | null | undefined,
): Promise<User | undefined> {
  let userId: number | undefined;
  if (customer) {
    const row = await db.models.User.query(trx).findOne({ stripe_customer_id: customer });
    userId = row?.id;
  }
  if (userId === undefined && userIdHint && /^\d+$/.test(userIdHint)) userId = Number(userIdHint);
  if (userId === undefined) return undefined;
  const user = await lockedUser(trx, db, userId);
  if (user && customer && user.stripe_customer_id !== customer) {
    await db.models.User.query(trx).patch({ stripe_customer_id: customer }).where('id', user.id);
    return db.models.User.query(trx).findById(user.id);
  }
  return user;
}

function paidTierOf(value: string | undefined): PaidTier | null {
  return isPaidTier(value) ? value : null;
}

async function billingRow({ trx, db }: EventContext, userId: number) {
  const row = await db.models.BillingSubscription.query(trx).findById(userId);
  if (row) return row;
  return db.models.BillingSubscription.query(trx).insertAndFetch({ user_id: userId, last_event_created: 0 });
}

/** Upsert the payment row of one Stripe invoice or charge by its id. */
async function recordPayment(
  { trx, db }: EventContext,
  payment: {
    userId: number;
    stripeId: string;
    amount: number;
    currency: string;
    status: string;
    description: string;
  },
): Promise<void> {
  const existing = await db.models.PaymentTransaction.query(trx).findOne({
    user_id: payment.userId,
    stripe_payment_intent_id: payment.stripeId,
  });
  // A payment that succeeded is not turned back to pending by a late checkout event.
  if (existing?.status === 'succeeded' && payment.status === 'pending') return;
  if (existing?.status === 'refunded') return;
  if (existing) {
    await db.models.PaymentTransaction.query(trx)
      .patch({ status: payment.status, amount: payment.amount, currency: payment.currency })
      .where('id', existing.id);
    return;
  }
  await db.models.PaymentTransaction.query(trx).insert({
    user_id: payment.userId,
    stripe_payment_intent_id: payment.stripeId,
    amount: payment.amount,
    currency: payment.currency.toUpperCase(),
    status: payment.status,
    description: payment.description,
  });
}

/** The first time a subscription makes the user a paying customer: history `initial` (once per subscription). */
async function recordInitial(
  context: EventContext,
  user: User,
  plan: { tier: PaidTier; period: string; subscriptionId: string; amount: number | null },
): Promise<void> {
  const { trx, db } = context;
  const seen = await db.models.SubscriptionHistory.query(trx).findOne({
    user_id: user.id,
    stripe_payment_id: plan.subscriptionId,
    reason: 'initial',
  });
  if (seen) return;
  await recordHistory(trx, db, {
    userId: user.id,
    previousTier: tierOf(user),
    newTier: plan.tier,
    period: plan.period,
    amountPaid: plan.amount,
    stripeId: plan.subscriptionId,
    reason: 'initial',
  });
  await db.models.User.query(trx)
    .patch({ subscription_tier: plan.tier, subscription_period: plan.period, subscription_status: 'active' })
    .where('id', user.id);
  await db.models.BillingSubscription.query(trx)
    .patch({ stripe_subscription_id: plan.subscriptionId, cancel_at_period_end: false, pending_tier: null })
    .where('user_id', user.id);
}

async function checkoutCompleted(
  context: EventContext,
  session: ReturnType<typeof ZCheckoutSessionObject.parse>,
): Promise<EventOutcome> {
  const user = await findUser(
    context,
    session.customer,
    session.client_reference_id ?? session.metadata.userId,
  );
  const tier = paidTierOf(session.metadata.tier);
  const period = session.metadata.period === 'yearly' ? 'yearly' : 'monthly';
  if (!user || !tier || !session.subscription) return 'ignored';
  await billingRow(context, user.id);
  const amount = session.amount_total == null ? null : fromMinorUnits(session.amount_total);
  await recordInitial(context, user, { tier, period, subscriptionId: session.subscription, amount });
  if (session.invoice && amount !== null) {
    await recordPayment(context, {
      userId: user.id,
      stripeId: session.invoice,
      amount,
      currency: session.currency ?? 'usd',
      status: 'pending',
      description: `${TIERS[tier].label} (${period}) subscription`,
    });
  }
  return 'applied';
}

async function invoicePaid(
  context: EventContext,
  invoice: ReturnType<typeof ZInvoiceObject.parse>,
): Promise<EventOutcome> {
  const { trx, db, config, now } = context;
  const metadata = invoice.parent?.subscription_details?.metadata ?? {};
  const user = await findUser(context, invoice.customer, metadata.userId);
  if (!user) return 'ignored';
  const subscriptionId = subscriptionOfInvoice(invoice);
  const plan = pricesOfInvoice(invoice)
    .map((price) => planOfPrice(config, price))
    .find((found) => found !== null);
  const planLine = invoice.lines.data.find((line) => {
    const price = line.pricing?.price_details?.price ?? line.price?.id ?? null;
    return planOfPrice(config, price) !== null;
  });
  const amount = fromMinorUnits(invoice.amount_paid);
  await recordPayment(context, {
    userId: user.id,
    stripeId: invoice.id,
    amount,
    currency: invoice.currency,
    status: 'succeeded',
    description: plan ? `${TIERS[plan.tier].label} (${plan.period}) subscription` : 'Invoice',
  });
  if (!plan || !planLine || !subscriptionId) return 'applied';
  const billing = await billingRow(context, user.id);
  if (invoice.billing_reason === 'subscription_create') {
    await recordInitial(context, user, { ...plan, subscriptionId, amount });
  }

  const start = fromUnixSeconds(planLine.period.start);
  const end = fromUnixSeconds(planLine.period.end);
  // A period already started (a replay under another event id, or an older invoice arriving late).
  if (user.billing_period_end && end.getTime() <= user.billing_period_end.getTime()) return 'applied';

  const fresh = await lockedUser(trx, db, user.id);
  if (!fresh) return 'ignored';
  const previous = tierOf(fresh);
  const pendingTier = paidTierOf(billing.pending_tier ?? undefined);
  const tier = pendingTier ?? plan.tier;
  const period = billing.pending_period ?? plan.period;
  if (invoice.billing_reason !== 'subscription_create') {
    const downgrade = tierRank(tier) < tierRank(previous);
    await recordHistory(trx, db, {
      userId: user.id,
      previousTier: previous,
      newTier: tier,
      period,
      amountPaid: amount,
      stripeId: invoice.id,
      reason: downgrade ? 'downgrade' : 'renewal',
    });
  }
  await startBillingPeriod(trx, db, fresh, { tier, period, start, end, now });
  await db.models.BillingSubscription.query(trx)
    .patch({ pending_tier: null, pending_period: null, stripe_subscription_id: subscriptionId })
    .where('user_id', user.id);
  return 'applied';
}

async function invoiceFailed(
  context: EventContext,
  invoice: ReturnType<typeof ZInvoiceObject.parse>,
): Promise<EventOutcome> {
  const { trx, db } = context;
  const metadata = invoice.parent?.subscription_details?.metadata ?? {};
  const user = await findUser(context, invoice.customer, metadata.userId);
  if (!user) return 'ignored';
  await recordPayment(context, {
    userId: user.id,
    stripeId: invoice.id,
    amount: fromMinorUnits(invoice.amount_due),
    currency: invoice.currency,
    status: 'failed',
    description: 'Payment failed',
  });
  // Stripe retries the payment; the plan stays until the subscription itself is deleted.
  await db.models.User.query(trx).patch({ subscription_status: 'past_due' }).where('id', user.id);
  return 'applied';
}

/** Subscription events change the plan only when newer than the last one applied (they can arrive out of order). */
async function isStale(context: EventContext, userId: number): Promise<boolean> {
  const billing = await billingRow(context, userId);
  if (context.event.created < billing.last_event_created) return true;
  await context.db.models.BillingSubscription.query(context.trx)
    .patch({ last_event_created: context.event.created })
    .where('user_id', userId);
  return false;
}

async function subscriptionUpdated(
  context: EventContext,
  subscription: ReturnType<typeof ZSubscriptionObject.parse>,
): Promise<EventOutcome> {
  const { trx, db, config } = context;
  const user = await findUser(context, subscription.customer, subscription.metadata.userId);
  if (!user) return 'ignored';
  if (await isStale(context, user.id)) return 'ignored';
  const plan = subscription.items.data
    .map((item) => planOfPrice(config, item.price.id))
    .find((found) => found !== null);
  const current = tierOf(user);
  const status =
    subscription.status === 'active' || subscription.status === 'trialing' ? 'active' : subscription.status;
  await db.models.User.query(trx).patch({ subscription_status: status }).where('id', user.id);
  await db.models.BillingSubscription.query(trx)
    .patch({
      stripe_subscription_id: subscription.id,
      cancel_at_period_end: subscription.cancel_at_period_end,
    })
    .where('user_id', user.id);
  if (!plan || !TIERS[current].paid) return 'applied';

  if (tierRank(plan.tier) > tierRank(current)) {
    await recordHistory(trx, db, {
      userId: user.id,
      previousTier: current,
      newTier: plan.tier,
      period: plan.period,
      amountPaid: null,
      stripeId: subscription.id,
      reason: 'upgrade',
    });
    await upgradeNow(trx, db, user, plan);
    await db.models.BillingSubscription.query(trx)
      .patch({ pending_tier: null, pending_period: null })
      .where('user_id', user.id);
  } else if (plan.tier !== current || plan.period !== user.subscription_period) {
    // A downgrade (or a change of billing period) applies when the paid period ends: at the next invoice.
    await db.models.BillingSubscription.query(trx)
      .patch({ pending_tier: plan.tier, pending_period: plan.period })
      .where('user_id', user.id);
  } else {
    await db.models.BillingSubscription.query(trx)
      .patch({ pending_tier: null, pending_period: null })
      .where('user_id', user.id);
  }
  return 'applied';
}

async function subscriptionDeleted(
  context: EventContext,
  subscription: ReturnType<typeof ZSubscriptionObject.parse>,
): Promise<EventOutcome> {
  const { trx, db, now } = context;
  const user = await findUser(context, subscription.customer, subscription.metadata.userId);
  if (!user) return 'ignored';
  if (await isStale(context, user.id)) return 'ignored';
  const current = tierOf(user);
  if (!TIERS[current].paid) return 'applied';
  await recordHistory(trx, db, {
    userId: user.id,
    previousTier: current,
    newTier: 'free',
    period: user.subscription_period,
    amountPaid: null,
    stripeId: subscription.id,
    reason: 'cancellation',
  });
  // Access is kept until the paid period ends; then the next admission moves the user to free.
  await db.models.User.query(trx)
    .patch({ subscription_status: 'canceled', subscription_end_date: user.billing_period_end ?? now })
    .where('id', user.id);
  await db.models.BillingSubscription.query(trx)
    .patch({ pending_tier: 'free', cancel_at_period_end: true })
    .where('user_id', user.id);
  const ended = await db.models.User.query(trx).findById(user.id);
  if (ended) await endPaidPlan(trx, db, ended, now);
  return 'applied';
}

async function chargeRefunded(
  context: EventContext,
  charge: ReturnType<typeof ZChargeObject.parse>,
): Promise<EventOutcome> {
  const { trx, db } = context;
  const user = await findUser(context, charge.customer, null);
  if (!user) return 'ignored';
  const ids = [charge.invoice, charge.payment_intent, charge.id].filter((id): id is string => id !== null);
  const payment = await db.models.PaymentTransaction.query(trx)
    .where('user_id', user.id)
    .whereIn('stripe_payment_intent_id', ids)
    .first();
  if (payment) {
    await db.models.PaymentTransaction.query(trx).patch({ status: 'refunded' }).where('id', payment.id);
  } else {
    await db.models.PaymentTransaction.query(trx).insert({
      user_id: user.id,
      stripe_payment_intent_id: charge.id,
      amount: fromMinorUnits(charge.amount_refunded),
      currency: charge.currency.toUpperCase(),
      status: 'refunded',
      description: 'Refund',
    });
  }
  return 'applied';
}
