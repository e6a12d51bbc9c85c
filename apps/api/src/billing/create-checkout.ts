import type { Db, User } from '@compareintel/db';
import { AppError, type TCheckoutInput, TIERS } from '@compareintel/shared';
import type Stripe from 'stripe';
import type { AppConfig } from '../env';
import { priceIdFor, requireStripe } from './stripe-gateway';
import { tierOf } from './subscription-changes';

interface BillingDeps {
  db: Db;
  config: AppConfig;
  stripe: Stripe | null;
  user: User;
}

/** The user's Stripe customer, created (and remembered) on first use. */
export async function ensureStripeCustomer({
  db,
  stripe,
  user,
}: BillingDeps & { stripe: Stripe }): Promise<string> {
  if (user.stripe_customer_id) return user.stripe_customer_id;
  const customer = await stripe.customers.create(
    { email: user.email, metadata: { userId: String(user.id) } },
    // Two clicks at once create one customer.
    { idempotencyKey: `customer-for-user-${user.id}` },
  );
  // Only the first writer wins; a concurrent request reads back the same id.
  await db
    .knex('users')
    .where('id', user.id)
    .whereNull('stripe_customer_id')
    .update({ stripe_customer_id: customer.id });
  const fresh = await db.models.User.query().findById(user.id).throwIfNotFound();
  return fresh.stripe_customer_id ?? customer.id;
}

/**
 * A Stripe Checkout session for tier × period; the plan starts when its webhooks arrive. A user who
 * already pays changes plans in the customer portal (so Stripe prorates), not through a second
 * subscription.
 */
export async function createCheckout(deps: BillingDeps, input: TCheckoutInput): Promise<{ url: string }> {
  const stripe = requireStripe(deps.stripe);
  const { config, user } = deps;
  if (!user.is_verified)
    throw new AppError('FORBIDDEN', 'Please verify your email address before buying a plan.');
  if (TIERS[tierOf(user)].paid && user.subscription_status !== 'canceled') {
    throw new AppError(
      'CONFLICT',
      'You already have a plan: change it in the billing portal from Settings → Billing.',
    );
  }
  const customer = await ensureStripeCustomer({ ...deps, stripe });
  const metadata = { userId: String(user.id), tier: input.tier, period: input.period };
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [
    { price: priceIdFor(config, input.tier, input.period), quantity: 1 },
  ];
  // Metered prices take no quantity: Stripe bills what the meter events report.
  if (config.STRIPE_PRICE_OVERAGE) lineItems.push({ price: config.STRIPE_PRICE_OVERAGE });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer,
    client_reference_id: String(user.id),
    line_items: lineItems,
    metadata,
    subscription_data: { metadata },
    success_url: `${config.APP_URL}/settings/billing?checkout=success`,
    cancel_url: `${config.APP_URL}/pricing?checkout=cancelled`,
  });
  if (!session.url)
    throw new AppError('INTERNAL', 'Stripe did not return a checkout page. Please try again.');
  return { url: session.url };
}

/** A Stripe customer-portal session (change plan or card, cancel), back to the billing settings. */
export async function openBillingPortal(deps: BillingDeps): Promise<{ url: string }> {
  const stripe = requireStripe(deps.stripe);
  if (!deps.user.stripe_customer_id) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'You have no billing account yet: choose a plan on the pricing page first.',
    );
  }
  const session = await stripe.billingPortal.sessions.create({
    customer: deps.user.stripe_customer_id,
    return_url: `${deps.config.APP_URL}/settings/billing`,
  });
  return { url: session.url };
}
