import { describeInterval, type TAdminJob } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Callout } from '../../components/Callout';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatInteger } from '../../lib/format';
import { queryClient, trpc } from '../../lib/trpc';
import { useTimeZone } from '../preferences/use-preferences';

/** `expiredSessions` → `expired sessions`. */
function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function counts(values: Record<string, number>): string {
  const parts = Object.entries(values).map(([key, value]) => `${words(key)} ${formatInteger(value)}`);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** The maintenance jobs: schedule, last run and what it did; super_admins can run one now (audited). */
export function JobsPanel({ canRun }: { canRun: boolean }) {
  const timeZone = useTimeZone();
  const jobs = useQuery(trpc.admin.jobs.list.queryOptions());
  const [confirming, setConfirming] = useState<TAdminJob['name'] | null>(null);
  const run = useMutation(
    trpc.admin.jobs.run.mutationOptions({
      onSettled: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.audit.pathKey() });
      },
    }),
  );
  if (jobs.error) return <Callout tone="error" title={errorMessage(jobs.error)} />;
  return (
    <section className="admin-section" aria-label="Maintenance jobs">
      {jobs.data && !jobs.data[0]?.scheduled ? (
        <Callout tone="warning" title="This API does not run the jobs on a schedule (JOBS_ENABLED=false)." />
      ) : null}
      {run.error ? <Callout tone="error" title={errorMessage(run.error)} /> : null}
      {run.data ? (
        <Callout
          tone={run.data.error ? 'error' : 'success'}
          title={run.data.error ?? `Done in ${run.data.tookMs} ms: ${counts(run.data.counts)}`}
        />
      ) : null}
      <ul className="admin-jobs" data-testid="admin-jobs">
        {(jobs.data ?? []).map((job) => (
          <li key={job.name} className="admin-job" data-testid={`admin-job-${job.name}`}>
            <div className="admin-job-head">
              <div>
                <strong>{job.name}</strong>{' '}
                <span className="muted">· {describeInterval(job.intervalSeconds)}</span>
                <p className="muted admin-job-description">{job.description}</p>
              </div>
              {canRun ? (
                <button
                  type="button"
                  className="btn btn-sm"
                  disabled={run.isPending}
                  onClick={() => setConfirming(job.name)}
                >
                  Run now
                </button>
              ) : null}
            </div>
            <dl className="admin-job-facts">
              <div>
                <dt>Last run</dt>
                <dd>
                  {job.lastRun
                    ? `${formatDateTime(job.lastRun.startedAt, timeZone)} (${job.lastRun.trigger})`
                    : 'Never'}
                </dd>
              </div>
              <div>
                <dt>Took</dt>
                <dd>{job.lastRun?.tookMs == null ? '—' : `${formatInteger(job.lastRun.tookMs)} ms`}</dd>
              </div>
              <div>
                <dt>What it did</dt>
                <dd>
                  {job.lastRun?.error ? (
                    <span className="admin-reason">{job.lastRun.error}</span>
                  ) : (
                    counts(job.lastRun?.counts ?? {})
                  )}
                </dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={confirming !== null}
        title={`Run the ${confirming ?? ''} job now?`}
        confirmLabel="Run now"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming) run.mutate({ name: confirming });
          setConfirming(null);
        }}
      >
        It runs at once on this server and is written to the audit log.
      </ConfirmDialog>
    </section>
  );
}
