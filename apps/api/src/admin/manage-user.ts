import type { Db } from '@compareintel/db';
import { AppError, type TAccepted } from '@compareintel/shared';
import { verificationMail } from '../auth/auth-mails';
import { VERIFICATION_TOKEN_TTL_MS } from '../auth/register-user';
import { newToken } from '../auth/tokens';
import type { AppConfig } from '../env';
import type { Mailer } from '../providers/mail';
import {
  lastSuperAdminRefusal,
  missingPermission,
  rankRefusal,
  recordStaffAction,
  refuseStaffAction,
  roleOf,
  type StaffDeps,
} from './staff-actions';

async function findTarget(db: Db, id: number) {
  const target = await db.models.User.query().findById(id);
  if (!target) throw new AppError('NOT_FOUND', 'There is no user with this id.');
  return target;
}

/**
 * Period usage back to 0, written to the ledger as a `refund` of what the period had used (so the
 * user's rows for the period still sum to the counters), with its audit row, in one transaction.
 */
export async function resetUserCredits(deps: StaffDeps, input: { id: number }): Promise<TAccepted> {
  const { db } = deps;
  const action = 'user.reset_credits';
  const target = await findTarget(db, input.id);
  const refusal = missingPermission(deps.user, 'users.write') ?? rankRefusal(deps.user, target);
  if (refusal)
    await refuseStaffAction(deps, {
      targetId: target.id,
      actionType: action,
      reason: refusal,
      requested: {},
    });
  await db.knex.transaction(async (trx) => {
    const fresh = await db.models.User.query(trx).findById(target.id).throwIfNotFound();
    const used = fresh.credits_used_this_period;
    await db.models.User.query(trx).findById(target.id).patch({ credits_used_this_period: 0 });
    await db.models.CreditTransaction.query(trx).insert({
      user_id: target.id,
      transaction_type: 'refund',
      credits_amount: used,
      description: `Period usage reset by staff (${deps.user.email})`,
      created_at: deps.now(),
    });
    await recordStaffAction(deps, trx, {
      targetId: target.id,
      actionType: action,
      description: `${deps.user.email} reset the credits of ${target.email} (${used} used → 0).`,
      details: { before: { creditsUsed: used }, after: { creditsUsed: 0 } },
    });
  });
  return { ok: true };
}

/** A new verification link for an active, unverified user (the previous link stops working). */
export async function resendUserVerification(
  deps: StaffDeps & { config: AppConfig; mailer: Mailer },
  input: { id: number },
): Promise<TAccepted> {
  const { db } = deps;
  const action = 'user.resend_verification';
  const target = await findTarget(db, input.id);
  const refusal = missingPermission(deps.user, 'users.write') ?? rankRefusal(deps.user, target);
  if (refusal)
    await refuseStaffAction(deps, {
      targetId: target.id,
      actionType: action,
      reason: refusal,
      requested: {},
    });
  if (target.is_verified) throw new AppError('BAD_REQUEST', 'This email address is already verified.');
  if (!target.is_active) throw new AppError('BAD_REQUEST', 'This account is deactivated: activate it first.');
  const verification = newToken();
  await db.knex.transaction(async (trx) => {
    await db.models.User.query(trx)
      .findById(target.id)
      .patch({
        verification_token: verification.hash,
        verification_token_expires: new Date(deps.now().getTime() + VERIFICATION_TOKEN_TTL_MS),
      });
    // The token itself never goes into the audit row.
    await recordStaffAction(deps, trx, {
      targetId: target.id,
      actionType: action,
      description: `${deps.user.email} sent ${target.email} a new verification link.`,
      details: { before: { verificationLink: 'previous' }, after: { verificationLink: 'new, sent by mail' } },
    });
  });
  deps.mailer.send(verificationMail(deps.config, target.email, verification.token));
  return { ok: true };
}

/** Deletes a user with the seed's cascades; the audit row keeps who it was (its target id becomes null). */
export async function deleteUser(deps: StaffDeps, input: { id: number }): Promise<TAccepted> {
  const { db } = deps;
  const action = 'user.delete';
  const outcome = await db.knex.transaction(async (trx) => {
    const target = await db.models.User.query(trx).findById(input.id);
    if (!target) throw new AppError('NOT_FOUND', 'There is no user with this id.');
    const refusal =
      missingPermission(deps.user, 'users.delete') ??
      (await lastSuperAdminRefusal(db, trx, target, { deletes: true })) ??
      (deps.user.id === target.id ? 'You cannot delete your own account here.' : null) ??
      rankRefusal(deps.user, target);
    if (refusal) return { refusal };
    const snapshot = {
      id: target.id,
      email: target.email,
      role: roleOf(target),
      tier: target.subscription_tier,
      isActive: target.is_active,
    };
    await recordStaffAction(deps, trx, {
      targetId: target.id,
      actionType: action,
      description: `${deps.user.email} deleted the account ${target.email}.`,
      details: { before: snapshot, after: null },
    });
    await db.models.User.query(trx).deleteById(target.id);
    return { refusal: null };
  });
  if (outcome.refusal) {
    await refuseStaffAction(deps, {
      targetId: input.id,
      actionType: action,
      reason: outcome.refusal,
      requested: {},
    });
  }
  return { ok: true };
}
