import { type TBillingStatus, TIERS } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { readError } from '../../lib/errors';
import { formatDateTime, formatInteger } from '../../lib/format';
import { Link } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useTimeZone } from '../preferences/use-preferences';
import { formatMoney, PaymentsTable } from './PaymentsTable';
import { goToStripe } from './PricingPage';

/** Settings → Billing: plan, status, period, credits, overage, payments and the Stripe portal. */
export function BillingSettings() {
  const timeZone = useTimeZone();
  const status = useQuery({ ...trpc.billing.status.queryOptions(), refetchInterval: 10_000 });
  const invoices = useQuery(trpc.billing.invoices.queryOptions({}));
  const portal = useMutation(
    trpc.billing.portal.mutationOptions({ onSuccess: ({ url }) => goToStripe(url) }),
  );
  if (status.error) return <Callout tone="info">{readError(status.error).message}</Callout>;
  if (!status.data) return <p className="muted">Loading billing…</p>;
  const s = status.data;
  const tier = TIERS[s.tier];
  return (
    <div className="billing" data-testid="billing-settings">
      <section>
        <h2>Plan</h2>
        <p data-testid="billing-plan">
          <strong>{tier.label}</strong> · {s.status}
          {tier.paid ? ` · ${s.period}` : ''}
        </p>
        {tier.paid && s.periodStart && s.periodEnd ? (
          <p>
            Current period {formatDateTime(s.periodStart, timeZone)} – {formatDateTime(s.periodEnd, timeZone)}
            .{' '}
            {s.cancelAtPeriodEnd || s.status === 'canceled'
              ? `Ends ${formatDateTime(s.periodEnd, timeZone)}; you keep your plan until then.`
              : `Renews ${formatDateTime(s.periodEnd, timeZone)}.`}
          </p>
        ) : null}
        {s.pendingTier && s.pendingTier !== s.tier ? (
          <p>Changes to {TIERS[s.pendingTier].label} at the end of this period.</p>
        ) : null}
        <p>
          {formatInteger(s.credits.used)} of {formatInteger(s.credits.allocated)} credits used this period.
        </p>
        <div className="actions">
          {s.hasCustomer ? (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={portal.isPending}
              onClick={() => portal.mutate()}
            >
              Manage plan, card or cancel (Stripe)
            </button>
          ) : null}
          <Link className="btn btn-primary btn-sm" href="/pricing">
            {tier.paid ? 'See plans' : 'Upgrade'}
          </Link>
        </div>
        {portal.error ? <Callout tone="error">{readError(portal.error).message}</Callout> : null}
      </section>
      {s.overage.available ? (
        <OverageForm key={`${s.overage.enabled}-${s.overage.capUsd}`} status={s} />
      ) : null}
      <section>
        <h2>Payments</h2>
        {invoices.data && invoices.data.items.length === 0 ? <p className="muted">No payments yet.</p> : null}
        {invoices.data && invoices.data.items.length > 0 ? (
          <PaymentsTable rows={invoices.data.items} testId="payments-table" />
        ) : null}
      </section>
    </div>
  );
}

function OverageForm({ status }: { status: TBillingStatus }) {
  const [enabled, setEnabled] = useState(status.overage.enabled);
  const [cap, setCap] = useState(String(status.overage.capUsd || 10));
  const save = useMutation(
    trpc.billing.setOverage.mutationOptions({
      onSuccess: (fresh) => queryClient.setQueryData(trpc.billing.status.queryKey(), fresh),
    }),
  );
  return (
    <section>
      <h2>Overage</h2>
      <p className="muted">
        Past your pool, comparisons can continue at $0.013 per credit, up to the cap you set. It is off again
        after every renewal.
      </p>
      <p data-testid="overage-used">
        Overage this period: {formatInteger(status.overage.creditsUsed)} credits (
        {formatMoney(status.overage.usedUsd)})
        {status.overage.enabled ? ` of a ${formatMoney(status.overage.capUsd)} cap` : ''}.
      </p>
      <form
        className="form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ enabled, capUsd: Number(cap) || 0 });
        }}
      >
        <label>
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />{' '}
          Allow overage this period
        </label>
        <label>
          Cap (USD){' '}
          <input
            type="number"
            min="0"
            step="0.01"
            value={cap}
            onChange={(event) => setCap(event.target.value)}
            aria-label="Overage cap in USD"
          />
        </label>
        <button type="submit" className="btn btn-secondary btn-sm" disabled={save.isPending}>
          Save
        </button>
      </form>
      {save.error ? <Callout tone="error">{readError(save.error).message}</Callout> : null}
    </section>
  );
}
