import { useInfiniteQuery } from '@tanstack/react-query';
import { Callout } from '../../components/Callout';
import { readError } from '../../lib/errors';
import { formatDateTime, formatInteger } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { useTimeZone } from '../preferences/use-preferences';

const TYPE_LABELS: Record<string, string> = {
  allocation: 'Credits added',
  usage: 'Comparison',
  purchase: 'Purchase',
  refund: 'Refund',
  expiration: 'Expired',
};

/** The credit ledger (credits.history), newest first, a page at a time. */
export function UsageHistory() {
  const timeZone = useTimeZone();
  const { user } = useSession();
  const history = useInfiniteQuery(
    trpc.credits.history.infiniteQueryOptions(
      { limit: 25 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: user !== null },
    ),
  );
  if (history.error) return <Callout tone="error">{readError(history.error).message}</Callout>;
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="usage">
      {user ? (
        <p className="usage-summary">
          <strong>{formatInteger(user.credits.used)}</strong> of {formatInteger(user.credits.allocated)}{' '}
          credits used {user.credits.period === 'day' ? 'today' : 'this billing period'}
          {user.credits.resetsAt ? `, refills ${formatDateTime(user.credits.resetsAt, timeZone, true)}` : ''}.
        </p>
      ) : null}
      {history.isPending ? <p className="muted">Loading usage…</p> : null}
      {!history.isPending && items.length === 0 ? <p className="muted">No credits used yet.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="usage-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Models</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col" className="num">
                  Credits
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{formatDateTime(item.createdAt, timeZone)}</td>
                  <td>{item.description ?? TYPE_LABELS[item.type] ?? item.type}</td>
                  <td>
                    {item.usage
                      ? `${item.usage.modelsSuccessful} of ${item.usage.modelsUsed.length}${
                          item.usage.modelsFailed ? ` (${item.usage.modelsFailed} failed)` : ''
                        }`
                      : '—'}
                  </td>
                  <td>
                    {item.usage
                      ? `${formatInteger(item.usage.inputTokens)} / ${formatInteger(item.usage.outputTokens)}`
                      : '—'}
                  </td>
                  <td className={`num ${item.amount < 0 ? 'negative' : 'positive'}`}>
                    {item.amount > 0 ? '+' : ''}
                    {formatInteger(item.amount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {history.hasNextPage ? (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void history.fetchNextPage()}
          disabled={history.isFetchingNextPage}
        >
          {history.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      ) : null}
    </div>
  );
}
