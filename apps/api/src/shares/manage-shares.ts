import { randomBytes } from 'node:crypto';
import type { Db, SharedLink, User } from '@compareintel/db';
import { AppError, type TShareCreateInput, type TShareLink } from '@compareintel/shared';
import { assertRevealed } from '../arena/blind-runs';
import { findOwnConversation } from '../conversations/own-conversation';

const DAY_MS = 24 * 60 * 60 * 1000;

/** 32 random bytes as base64url: 43 characters, 256 bits, nothing to guess. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

export function shareUrl(token: string): string {
  return `/s/${token}`;
}

function toShareLink(link: SharedLink): TShareLink {
  return {
    id: link.id,
    token: link.token,
    url: shareUrl(link.token),
    createdAt: link.created_at.toISOString(),
    expiresAt: link.expires_at?.toISOString() ?? null,
  };
}

interface OwnerDeps {
  db: Db;
  user: User;
  now(): Date;
}

/** A new read-only link to one of the user's conversations (anyone else's: NOT_FOUND). */
export async function createShare(
  { db, user, now }: OwnerDeps,
  input: TShareCreateInput,
): Promise<TShareLink> {
  const conversation = await findOwnConversation(db, user, input.conversationId);
  // A shared page of a blind comparison would name its models before the vote.
  await assertRevealed(db, conversation.id);
  const createdAt = now();
  const link = await db.models.SharedLink.query().insertAndFetch({
    token: newShareToken(),
    conversation_id: conversation.id,
    user_id: user.id,
    created_at: createdAt,
    expires_at: input.expiresInDays ? new Date(createdAt.getTime() + input.expiresInDays * DAY_MS) : null,
  });
  return toShareLink(link);
}

/** The links to the user's conversation that still work (not revoked, taken down or expired), newest first. */
export async function listShares(
  { db, user, now }: OwnerDeps,
  input: { conversationId: number },
): Promise<TShareLink[]> {
  const conversation = await findOwnConversation(db, user, input.conversationId);
  const rows = await db.models.SharedLink.query()
    .where({ conversation_id: conversation.id, user_id: user.id })
    .modify('alive', now())
    .orderBy('id', 'desc');
  return rows.map(toShareLink);
}

/** The owner ends a link: from now on it finds nothing. Someone else's link (or none) is NOT_FOUND. */
export async function revokeShare({ db, user, now }: OwnerDeps, input: { id: number }) {
  const link = await db.models.SharedLink.query().findOne({ id: input.id, user_id: user.id });
  if (!link) throw new AppError('NOT_FOUND', 'That link does not exist or is not yours.');
  if (!link.revoked_at) await db.models.SharedLink.query().patch({ revoked_at: now() }).where('id', link.id);
  return { revoked: true };
}
