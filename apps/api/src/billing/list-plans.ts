import type { User } from '@compareintel/db';
import { SUBSCRIPTION_TIERS, type TBillingPlans, TIERS } from '@compareintel/shared';
import type Stripe from 'stripe';
import { tierOf } from './subscription-changes';

/** The five plans as packages/shared defines them, and the caller's current one (null for visitors). */
export function listPlans({ stripe, user }: { stripe: Stripe | null; user: User | null }): TBillingPlans {
  return {
    configured: stripe !== null,
    currentTier: user ? tierOf(user) : null,
    currentPeriod: user ? (user.subscription_period === 'yearly' ? 'yearly' : 'monthly') : null,
    plans: SUBSCRIPTION_TIERS.map((id) => {
      const tier = TIERS[id];
      return {
        tier: id,
        label: tier.label,
        credits: tier.credits,
        creditPeriod: tier.period,
        modelsPerComparison: tier.modelsPerComparison,
        savedConversations: tier.savedConversations,
        priceMonthlyUsd: tier.priceMonthlyUsd,
        priceYearlyUsd: tier.priceYearlyUsd,
        paid: tier.paid,
      };
    }),
  };
}
