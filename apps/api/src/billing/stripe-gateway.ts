import { AppError, type PaidTier, type TBillingPeriod } from '@compareintel/shared';
import Stripe from 'stripe';
import type { AppConfig } from '../env';

/** The Stripe client, or null when no STRIPE_SECRET_KEY is configured (the app runs without billing). */
export function createStripe(config: AppConfig): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  const target = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 1,
    timeout: 20_000,
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === 'http:' ? 80 : 443),
          protocol: target.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

/** Billing procedures answer this when Stripe is not configured. */
export function requireStripe(stripe: Stripe | null): Stripe {
  if (!stripe) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'Billing is not configured on this server (no Stripe key is set), so plans cannot be bought here.',
    );
  }
  return stripe;
}

const PRICE_KEYS = {
  starter: { monthly: 'STRIPE_PRICE_STARTER_MONTHLY', yearly: 'STRIPE_PRICE_STARTER_YEARLY' },
  starter_plus: { monthly: 'STRIPE_PRICE_STARTER_PLUS_MONTHLY', yearly: 'STRIPE_PRICE_STARTER_PLUS_YEARLY' },
  pro: { monthly: 'STRIPE_PRICE_PRO_MONTHLY', yearly: 'STRIPE_PRICE_PRO_YEARLY' },
  pro_plus: { monthly: 'STRIPE_PRICE_PRO_PLUS_MONTHLY', yearly: 'STRIPE_PRICE_PRO_PLUS_YEARLY' },
} as const satisfies Record<PaidTier, Record<TBillingPeriod, keyof AppConfig>>;

export function priceIdFor(config: AppConfig, tier: PaidTier, period: TBillingPeriod): string {
  const price = config[PRICE_KEYS[tier][period]];
  if (!price) throw new AppError('PRECONDITION_FAILED', 'This plan has no Stripe price configured.');
  return price;
}

/** Which plan a Stripe price id is, from the configured price ids (null for the overage price). */
export function planOfPrice(
  config: AppConfig,
  priceId: string | null | undefined,
): { tier: PaidTier; period: TBillingPeriod } | null {
  if (!priceId) return null;
  for (const [tier, periods] of Object.entries(PRICE_KEYS)) {
    for (const [period, key] of Object.entries(periods)) {
      if (config[key] !== priceId) continue;
      if (isPaidTierKey(tier) && (period === 'monthly' || period === 'yearly')) return { tier, period };
    }
  }
  return null;
}

function isPaidTierKey(value: string): value is PaidTier {
  return value in PRICE_KEYS;
}
