import {
  type StaffPermission,
  ZAccepted,
  ZAdminAuditList,
  ZAdminAuditListInput,
  ZAdminJob,
  ZAdminJobRunInput,
  ZAdminModelAvailability,
  ZAdminModelAvailabilityInput,
  ZAdminSettings,
  ZAdminSettingsUpdateInput,
  ZAdminShareList,
  ZAdminShareListInput,
  ZAdminShareRow,
  ZAdminShareTakeDownInput,
  ZAdminUserDetail,
  ZAdminUserId,
  ZAdminUserList,
  ZAdminUserListInput,
  ZAdminUserUpdateInput,
  ZAnalyticsByModel,
  ZAnalyticsRange,
  ZAnalyticsSummary,
  ZAnalyticsSummaryInput,
  ZId,
  ZSearchConnectionTest,
} from '@compareintel/shared';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc';
import { getAppSettings, testSearchConnection, updateAppSettings } from './app-settings';
import { getUser } from './get-user';
import { listAuditLog } from './list-audit-log';
import { listUsers } from './list-users';
import { listJobs, runJobNow } from './manage-jobs';
import { deleteUser, resendUserVerification, resetUserCredits } from './manage-user';
import { listSharedLinks, refuseTakeDown, takeDownSharedLink } from './moderate-shares';
import { listModelAvailability, setModelAvailability } from './set-model-availability';
import { refuseStaffAction } from './staff-actions';
import { summarizeUsage, summarizeUsageByModel } from './summarize-usage';
import { updateUser } from './update-user';

const ZTargetOfInput = z.object({ id: ZId }).partial();

/**
 * The gate of a staff write: someone without `permission` is refused with FORBIDDEN, and the attempt
 * gets its own audit row (the services check again, with the finer rules, and audit their refusals too).
 */
function staffWrite(permission: StaffPermission, actionType: string) {
  return staffProcedure(permission, {
    onRefused: async ({ ctx, rawInput }) => {
      const parsed = ZTargetOfInput.safeParse(rawInput);
      await refuseStaffAction(ctx, {
        targetId: parsed.success ? (parsed.data.id ?? null) : null,
        actionType,
        reason: `Missing the ${permission} permission.`,
        requested: { permission },
      }).catch(() => undefined);
    },
  });
}

const usersRouter = router({
  list: staffProcedure('users.read')
    .input(ZAdminUserListInput)
    .output(ZAdminUserList)
    .query(({ ctx, input }) => listUsers(ctx, input)),
  get: staffProcedure('users.read')
    .input(ZAdminUserId)
    .output(ZAdminUserDetail)
    .query(({ ctx, input }) => getUser(ctx, input)),
  update: staffWrite('users.write', 'user.update')
    .input(ZAdminUserUpdateInput)
    .output(ZAdminUserDetail)
    .mutation(({ ctx, input }) => updateUser(ctx, input)),
  resetCredits: staffWrite('users.write', 'user.reset_credits')
    .input(ZAdminUserId)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => resetUserCredits(ctx, input)),
  resendVerification: staffWrite('users.write', 'user.resend_verification')
    .input(ZAdminUserId)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => resendUserVerification(ctx, input)),
  delete: staffWrite('users.delete', 'user.delete')
    .input(ZAdminUserId)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => deleteUser(ctx, input)),
});

const auditRouter = router({
  list: staffProcedure('audit.read')
    .input(ZAdminAuditListInput)
    .output(ZAdminAuditList)
    .query(({ ctx, input }) => listAuditLog(ctx, input)),
});

const settingsRouter = router({
  get: staffProcedure('settings.read')
    .output(ZAdminSettings)
    .query(({ ctx }) => getAppSettings(ctx)),
  update: staffWrite('settings.write', 'settings.update')
    .input(ZAdminSettingsUpdateInput)
    .output(ZAdminSettings)
    .mutation(({ ctx, input }) => updateAppSettings(ctx, input)),
  /** One real query through the active search provider with the stored key (audited). */
  testConnection: staffWrite('settings.write', 'settings.testSearch')
    .output(ZSearchConnectionTest)
    .mutation(({ ctx }) => testSearchConnection(ctx)),
});

const modelsRouter = router({
  list: staffProcedure('models.write')
    .output(z.array(ZAdminModelAvailability))
    .query(({ ctx }) => listModelAvailability(ctx)),
  setAvailability: staffWrite('models.write', 'model.availability')
    .input(ZAdminModelAvailabilityInput)
    .output(ZAdminModelAvailability)
    .mutation(({ ctx, input }) => setModelAvailability(ctx, input)),
});

const analyticsRouter = router({
  summary: staffProcedure('analytics.read')
    .input(ZAnalyticsSummaryInput)
    .output(ZAnalyticsSummary)
    .query(({ ctx, input }) => summarizeUsage(ctx, input)),
  byModel: staffProcedure('analytics.read')
    .input(ZAnalyticsRange)
    .output(ZAnalyticsByModel)
    .query(({ ctx, input }) => summarizeUsageByModel(ctx, input)),
});

const jobsRouter = router({
  list: staffProcedure('settings.read')
    .output(z.array(ZAdminJob))
    .query(({ ctx }) => listJobs(ctx)),
  run: staffWrite('settings.write', 'job.run')
    .input(ZAdminJobRunInput)
    .output(
      z.object({
        counts: z.record(z.string(), z.number()),
        lines: z.array(z.string()),
        error: z.string().nullable(),
        tookMs: z.number().int(),
      }),
    )
    .mutation(({ ctx, input }) => runJobNow(ctx, input)),
});

const sharesRouter = router({
  list: staffProcedure('content.moderate')
    .input(ZAdminShareListInput)
    .output(ZAdminShareList)
    .query(({ ctx, input }) => listSharedLinks(ctx, input)),
  // The input's id is a link's, not a user's: the refusal names the link's owner (not staffWrite's rule).
  takeDown: staffProcedure('content.moderate', {
    onRefused: async ({ ctx, permission, rawInput }) => {
      await refuseTakeDown(ctx, rawInput, `Missing the ${permission} permission.`).catch(() => undefined);
    },
  })
    .input(ZAdminShareTakeDownInput)
    .output(ZAdminShareRow)
    .mutation(({ ctx, input }) => takeDownSharedLink(ctx, input)),
});

/** The staff console: every procedure gated by its permission, every write audited. */
export const adminRouter = router({
  users: usersRouter,
  audit: auditRouter,
  settings: settingsRouter,
  models: modelsRouter,
  analytics: analyticsRouter,
  jobs: jobsRouter,
  shares: sharesRouter,
});
