import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../lib/trpc';

export function HealthPage() {
  const health = useQuery(trpc.health.check.queryOptions());
  if (health.isPending) return <p>Checking the API…</p>;
  if (health.isError) return <p role="alert">The API is not reachable: {health.error.message}</p>;
  const { db } = health.data;
  return (
    <section aria-label="API health">
      <h1>CompareIntel</h1>
      <p data-testid="health-status">{health.data.ok ? 'API healthy' : 'API degraded'}</p>
      <p>
        Database: {db.dialect} · {db.reachable ? 'reachable' : 'unreachable'} · migration {db.migration ?? 'none'}
      </p>
    </section>
  );
}
