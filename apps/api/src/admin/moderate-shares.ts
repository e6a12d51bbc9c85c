import type { SharedLink } from '@compareintel/db';
import {
  AppError,
  shareStateAt,
  type TAdminShareList,
  type TAdminShareRow,
  type TAdminShareTakeDownInput,
} from '@compareintel/shared';
import { displayTitle } from '../conversations/conversation-turns';
import { shareUrl } from '../shares/manage-shares';
import {
  isoOrNull,
  missingPermission,
  recordStaffAction,
  refuseStaffAction,
  type StaffDeps,
} from './staff-actions';

const ACTION = 'share.take_down';

function toRow(link: SharedLink, now: Date): TAdminShareRow {
  return {
    id: link.id,
    url: shareUrl(link.token),
    conversationTitle: link.conversation ? displayTitle(link.conversation) : '',
    ownerId: link.user_id,
    ownerEmail: link.owner?.email ?? '',
    createdAt: link.created_at.toISOString(),
    expiresAt: isoOrNull(link.expires_at),
    state: shareStateAt(
      { revokedAt: link.revoked_at, takenDownAt: link.taken_down_at, expiresAt: link.expires_at },
      now,
    ),
    takenDownAt: isoOrNull(link.taken_down_at),
    takeDownReason: link.take_down_reason,
  };
}

/** Every shared link, newest first, with its owner and state (staff with `content.moderate`). */
export async function listSharedLinks(
  deps: StaffDeps,
  input: { page: number; perPage: number },
): Promise<TAdminShareList> {
  const refusal = missingPermission(deps.user, 'content.moderate');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  const { results, total } = await deps.db.models.SharedLink.query()
    .withGraphFetched('[conversation, owner]')
    .orderBy('id', 'desc')
    .page(input.page - 1, input.perPage);
  const now = deps.now();
  return {
    rows: results.map((link) => toRow(link, now)),
    total,
    page: input.page,
    perPage: input.perPage,
    totalPages: Math.ceil(total / input.perPage),
  };
}

/** A refused take-down names the link's owner as the target (the input's id is the link's, not a user's). */
export async function refuseTakeDown(deps: StaffDeps, rawInput: unknown, reason: string): Promise<never> {
  const id = typeof rawInput === 'object' && rawInput !== null ? Reflect.get(rawInput, 'id') : undefined;
  const link =
    typeof id === 'number' && Number.isSafeInteger(id) && id > 0
      ? await deps.db.models.SharedLink.query().findById(id)
      : undefined;
  return refuseStaffAction(deps, {
    targetId: link?.user_id ?? null,
    actionType: ACTION,
    reason,
    requested: { shareId: typeof id === 'number' ? id : null },
  });
}

/**
 * Staff take a shared link down: it stops opening at once, for good (its owner cannot bring it back;
 * they may share again, which staff can take down again). Audited in the same transaction, with who,
 * why and what the link showed; refusals are audited too.
 */
export async function takeDownSharedLink(
  deps: StaffDeps,
  input: TAdminShareTakeDownInput,
): Promise<TAdminShareRow> {
  const refusal = missingPermission(deps.user, 'content.moderate');
  if (refusal) await refuseTakeDown(deps, input, refusal);
  const { db } = deps;
  const now = deps.now();
  return db.knex.transaction(async (trx) => {
    const link = await db.models.SharedLink.query(trx)
      .findById(input.id)
      .withGraphFetched('[conversation, owner]');
    if (!link) throw new AppError('NOT_FOUND', 'That shared link does not exist.');
    const before = toRow(link, now);
    if (link.taken_down_at) return before;
    await db.models.SharedLink.query(trx)
      .patch({ taken_down_at: now, taken_down_by: deps.user.id, take_down_reason: input.reason })
      .where('id', link.id);
    await recordStaffAction(deps, trx, {
      targetId: link.user_id,
      actionType: ACTION,
      description: `${deps.user.email} took down shared link ${link.id} of ${link.owner?.email ?? 'a deleted user'}: ${input.reason}`,
      details: {
        shareId: link.id,
        conversationId: link.conversation_id,
        before: { state: before.state },
        after: { state: 'taken_down', reason: input.reason },
      },
    });
    return {
      ...before,
      state: 'taken_down',
      takenDownAt: now.toISOString(),
      takeDownReason: input.reason,
    };
  });
}
