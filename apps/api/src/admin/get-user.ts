import { AppError, staffPermissionsOf, type TAdminUserDetail } from '@compareintel/shared';
import { billingSummaryForStaff } from '../billing/staff-summary';
import { poolSizeOf } from '../credits/credit-pool';
import { userRowOf } from './list-users';
import { isoOrNull, missingPermission, type StaffDeps } from './staff-actions';

const RECENT_USAGE_ROWS = 20;

/** One user as staff see it: account, subscription, permissions and usage (last 20 comparisons). */
export async function getUser(deps: StaffDeps, input: { id: number }): Promise<TAdminUserDetail> {
  const refusal = missingPermission(deps.user, 'users.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const { db } = deps;
  const user = await db.models.User.query().findById(input.id);
  if (!user) throw new AppError('NOT_FOUND', 'There is no user with this id.');
  const [comparisons, recent, billing] = await Promise.all([
    db.models.UsageLog.query().where('user_id', user.id).resultSize(),
    db.models.UsageLog.query()
      .where('user_id', user.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECENT_USAGE_ROWS),
    billingSummaryForStaff({ db }, user.id),
  ]);
  return {
    ...userRowOf(user),
    listedPermissions:
      user.admin_permissions && user.admin_permissions.length > 0 ? user.admin_permissions : null,
    permissions: [...staffPermissionsOf(user)],
    subscription: {
      status: user.subscription_status,
      period: user.subscription_period,
      startDate: isoOrNull(user.subscription_start_date),
      endDate: isoOrNull(user.subscription_end_date),
      billingPeriodStart: isoOrNull(user.billing_period_start),
      billingPeriodEnd: isoOrNull(user.billing_period_end),
      creditsResetAt: isoOrNull(user.credits_reset_at),
      hasStripeCustomer: user.stripe_customer_id !== null,
    },
    usage: {
      creditsThisPeriod: user.credits_used_this_period,
      creditsAllocated: poolSizeOf(user),
      creditsLifetime: user.total_credits_used,
      comparisons,
      lastAccess: isoOrNull(user.last_access),
      recent: recent.map((row) => ({
        id: row.id,
        createdAt: row.created_at.toISOString(),
        modelsUsed: row.models_used,
        modelsRequested: row.models_requested,
        modelsSuccessful: row.models_successful,
        modelsFailed: row.models_failed,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        credits: row.credits_used,
        actualCost: row.actual_cost,
      })),
    },
    billing: { history: billing.history, payments: billing.payments },
  };
}
