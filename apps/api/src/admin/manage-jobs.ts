import { AppError, type TAdminJob, type TAdminJobRunInput } from '@compareintel/shared';
import type { AppServices } from '../context';
import { JOB_NAMES, JOBS, jobIntervals, runJob } from '../jobs/jobs';
import {
  isoOrNull,
  missingPermission,
  recordStaffAction,
  refuseStaffAction,
  roleOf,
  type StaffDeps,
} from './staff-actions';

const ACTION = 'job.run';

type JobDeps = StaffDeps & Pick<AppServices, 'config' | 'models' | 'runs' | 'runEvents' | 'instance'>;

/** Each maintenance job with its schedule and its last run (when, how long, what it did, its error). */
export async function listJobs(deps: JobDeps): Promise<TAdminJob[]> {
  const refusal = missingPermission(deps.user, 'settings.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const intervals = jobIntervals(deps.config.JOB_INTERVALS);
  return Promise.all(
    JOB_NAMES.map(async (name) => {
      const last = await deps.db.models.JobRun.query()
        .where('job_name', name)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .first();
      return {
        name,
        description: JOBS[name].description,
        intervalSeconds: intervals[name],
        scheduled: deps.config.JOBS_ENABLED,
        lastRun: last
          ? {
              trigger: last.trigger === 'manual' ? 'manual' : 'schedule',
              startedAt: last.started_at.toISOString(),
              finishedAt: isoOrNull(last.finished_at),
              tookMs: last.took_ms,
              counts: last.counts ?? {},
              error: last.error,
            }
          : null,
      };
    }),
  );
}

/** "Run now", for super_admins only; the run and every refused attempt are audited. */
export async function runJobNow(deps: JobDeps, input: TAdminJobRunInput) {
  if (roleOf(deps.user) !== 'super_admin') {
    await refuseStaffAction(deps, {
      targetId: null,
      actionType: ACTION,
      reason: 'Only a super admin can run maintenance jobs.',
      requested: input,
    });
  }
  const outcome = await runJob(deps, input.name, { trigger: 'manual', dryRun: input.dryRun });
  await recordStaffAction(deps, undefined, {
    targetId: null,
    actionType: ACTION,
    description: `${deps.user.email} ran the ${input.name} job${input.dryRun ? ' (dry run)' : ''}${outcome.error ? `: it failed (${outcome.error})` : ''}.`,
    details: {
      job: input.name,
      dryRun: input.dryRun,
      counts: outcome.counts,
      tookMs: outcome.tookMs,
      error: outcome.error,
    },
  });
  return { counts: outcome.counts, lines: outcome.lines, error: outcome.error, tookMs: outcome.tookMs };
}
