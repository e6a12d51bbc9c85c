import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Callout } from '../../components/Callout';
import { errorMessage } from '../../lib/errors';
import { queryClient, trpc } from '../../lib/trpc';

/** Model availability: staff take a model out of service (with a reason users see) and back. */
export function ModelsPanel() {
  const availability = useQuery(trpc.admin.models.list.queryOptions());
  const catalogue = useQuery(trpc.models.list.queryOptions());
  const [filter, setFilter] = useState('');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const set = useMutation(
    trpc.admin.models.setAvailability.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.models.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.audit.pathKey() });
      },
    }),
  );
  const names = useMemo(
    () => new Map((catalogue.data?.models ?? []).map((model) => [model.id, model.name])),
    [catalogue.data],
  );
  const rows = (availability.data ?? []).filter((row) => {
    const needle = filter.trim().toLowerCase();
    return (
      !needle || row.modelId.includes(needle) || (names.get(row.modelId) ?? '').toLowerCase().includes(needle)
    );
  });
  if (availability.error) return <Callout tone="error" title={errorMessage(availability.error)} />;
  return (
    <section className="admin-section" aria-label="Model availability">
      <label className="field admin-search">
        <span className="field-label">Filter models</span>
        <input
          className="input"
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </label>
      {set.error ? <Callout tone="error" title={errorMessage(set.error)} /> : null}
      <ul className="admin-models" data-testid="admin-models">
        {rows.map((row) => (
          <li key={row.modelId} className={`admin-model${row.available ? '' : ' is-off'}`}>
            <div className="admin-model-name">
              <strong>{names.get(row.modelId) ?? row.modelId}</strong>
              <span className="muted">{row.modelId}</span>
              {!row.available && row.reason ? <span className="admin-reason">{row.reason}</span> : null}
            </div>
            {row.available ? (
              <input
                className="input input-sm"
                placeholder="Reason (shown to users)"
                aria-label={`Reason for taking ${row.modelId} out`}
                maxLength={500}
                value={reasons[row.modelId] ?? ''}
                onChange={(event) => setReasons({ ...reasons, [row.modelId]: event.target.value })}
              />
            ) : null}
            <label className="switch">
              <input
                type="checkbox"
                checked={row.available}
                disabled={set.isPending}
                onChange={(event) =>
                  set.mutate({
                    modelId: row.modelId,
                    available: event.target.checked,
                    reason: reasons[row.modelId]?.trim() || undefined,
                  })
                }
              />
              <span>{row.available ? 'Available' : 'Unavailable'}</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
