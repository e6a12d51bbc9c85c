import { formatDateTime } from '../../lib/format';
import { useTimeZone } from '../preferences/use-preferences';

export interface PaymentRow {
  id: number;
  createdAt: string;
  description: string | null;
  stripeId: string | null;
  status: string;
  amount: number;
  currency: string;
}

/** An amount of money in its own currency, e.g. `$9.00`. */
export function formatMoney(amount: number, currency = 'usd'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    amount,
  );
}

/** Payments newest first: when, what, status, amount (the user's billing page and the staff drawer). */
export function PaymentsTable({ rows, testId }: { rows: readonly PaymentRow[]; testId: string }) {
  const timeZone = useTimeZone();
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{formatDateTime(row.createdAt, timeZone)}</td>
              <td>{row.description ?? row.stripeId ?? '—'}</td>
              <td>{row.status}</td>
              <td className="num">{formatMoney(row.amount, row.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
