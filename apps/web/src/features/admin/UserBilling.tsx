import type { TAdminUserDetail } from '@compareintel/shared';
import { formatDateTime } from '../../lib/format';
import { formatMoney, PaymentsTable } from '../billing/PaymentsTable';
import { useTimeZone } from '../preferences/use-preferences';

/** What the user's billing did: plan changes (with why) and payments, newest first. */
export function UserBilling({ billing }: { billing: TAdminUserDetail['billing'] }) {
  const timeZone = useTimeZone();
  if (billing.history.length === 0 && billing.payments.length === 0) return null;
  return (
    <>
      {billing.history.length > 0 ? (
        <>
          <h3 className="drawer-subtitle">Plan changes</h3>
          <div className="table-wrap">
            <table className="table" data-testid="drawer-subscription-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Change</th>
                  <th scope="col">Why</th>
                  <th scope="col" className="num">
                    Paid
                  </th>
                </tr>
              </thead>
              <tbody>
                {billing.history.map((row) => (
                  <tr key={row.id}>
                    <td>{formatDateTime(row.createdAt, timeZone)}</td>
                    <td>
                      {row.previousTier ?? '—'} → {row.newTier}
                      {row.period ? ` (${row.period})` : ''}
                    </td>
                    <td>{row.reason ?? '—'}</td>
                    <td className="num">{row.amountPaid === null ? '—' : formatMoney(row.amountPaid)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {billing.payments.length > 0 ? (
        <>
          <h3 className="drawer-subtitle">Payments</h3>
          <PaymentsTable rows={billing.payments} testId="drawer-payments" />
        </>
      ) : null}
    </>
  );
}
