import { isPaidTier, type TBillingPeriod } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { readError } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';

/** Where the browser goes for Stripe Checkout and the portal (a seam the tests can see through). */
export function goToStripe(url: string): void {
  window.location.assign(url);
}

/** The five plans side by side (from packages/shared via billing.plans), and Checkout for tier × period. */
export default function PricingPage() {
  const { user } = useSession();
  const plans = useQuery(trpc.billing.plans.queryOptions());
  const [period, setPeriod] = useState<TBillingPeriod>('monthly');
  const checkout = useMutation(
    trpc.billing.createCheckout.mutationOptions({ onSuccess: ({ url }) => goToStripe(url) }),
  );
  if (plans.error) return <Callout tone="error">{readError(plans.error).message}</Callout>;
  const data = plans.data;
  return (
    <div className="pricing-page">
      <h1>Plans</h1>
      {data && !data.configured ? (
        <Callout tone="info" testId="billing-not-configured" title="Billing is not configured">
          This server has no Stripe key, so plans cannot be bought here. Everything else works as usual.
        </Callout>
      ) : null}
      <fieldset className="period-toggle">
        <legend>Billing period</legend>
        {(['monthly', 'yearly'] as const).map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="period"
              value={value}
              checked={period === value}
              onChange={() => setPeriod(value)}
            />{' '}
            {value === 'monthly' ? 'Monthly' : 'Yearly (10 × monthly: two months free)'}
          </label>
        ))}
      </fieldset>
      {checkout.error ? <Callout tone="error">{readError(checkout.error).message}</Callout> : null}
      <div className="plans" data-testid="plans">
        {data?.plans.map((plan) => {
          const current = data.currentTier === plan.tier;
          const price = period === 'monthly' ? plan.priceMonthlyUsd : plan.priceYearlyUsd;
          return (
            <section
              key={plan.tier}
              className={`plan-card${current ? ' plan-current' : ''}`}
              data-testid={`plan-${plan.tier}`}
              aria-label={plan.label}
            >
              <h2>{plan.label}</h2>
              {current ? <p className="badge">Your plan</p> : null}
              <p className="plan-price">
                {plan.paid ? `$${price}` : '$0'}
                <span className="muted">
                  {' '}
                  / {plan.paid ? (period === 'monthly' ? 'month' : 'year') : 'forever'}
                </span>
              </p>
              {plan.paid ? (
                <p className="muted">
                  ${plan.priceMonthlyUsd}/month or ${plan.priceYearlyUsd}/year
                </p>
              ) : null}
              <ul>
                <li>
                  {formatInteger(plan.credits)} credits a {plan.creditPeriod === 'day' ? 'day' : 'month'}
                </li>
                <li>Up to {plan.modelsPerComparison} models per comparison</li>
                <li>{plan.savedConversations} saved conversations</li>
                {plan.paid ? <li>Optional overage with a spending cap</li> : null}
              </ul>
              {isPaidTier(plan.tier) && data.configured ? (
                user ? (
                  current ? (
                    <Link className="btn btn-secondary btn-sm" href="/settings/billing">
                      Manage plan
                    </Link>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-primary btn-sm"
                      disabled={checkout.isPending}
                      onClick={() => {
                        if (isPaidTier(plan.tier)) checkout.mutate({ tier: plan.tier, period });
                      }}
                    >
                      Choose {plan.label}
                    </button>
                  )
                ) : (
                  <Link className="btn btn-primary btn-sm" href="/signup">
                    Sign up to choose {plan.label}
                  </Link>
                )
              ) : null}
            </section>
          );
        })}
      </div>
    </div>
  );
}
