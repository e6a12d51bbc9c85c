import type { Db, Session, User } from '@compareintel/db';
import type { Transaction } from 'objection';
import type { RequestInfo } from '../context';
import type { AppConfig } from '../env';
import { hashToken, newToken } from './tokens';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface SessionDeps {
  db: Db;
  now(): Date;
  config: Pick<AppConfig, 'SESSION_TTL_DAYS'>;
}

function expiryFrom(now: Date, config: SessionDeps['config']): Date {
  return new Date(now.getTime() + config.SESSION_TTL_DAYS * DAY_MS);
}

/** Signs a user in: a new session row (token hashed) and the token to give the client, once. */
export async function startSession(
  deps: SessionDeps,
  user: User,
  request: RequestInfo,
): Promise<{ token: string; session: Session }> {
  const { db, config } = deps;
  const now = deps.now();
  const { token, hash } = newToken();
  // Housekeeping while we are here: this user's expired sessions are of no use to anyone.
  await db.models.Session.query()
    .where('user_id', user.id)
    .where('expires_at', '<=', now.toISOString())
    .delete();
  const session = await db.models.Session.query().insert({
    user_id: user.id,
    token_hash: hash,
    created_at: now,
    last_seen_at: now,
    expires_at: expiryFrom(now, config),
    ip_address: request.ip.slice(0, 45),
    user_agent: request.userAgent?.slice(0, 512) ?? null,
  });
  await touchUser({ db }, user, now);
  return { token, session };
}

export interface ResolvedSession {
  user: User;
  session: Session;
  /** The expiry moved forward: the cookie should be sent again with the new date. */
  extended: boolean;
}

/**
 * The active user behind a token, or null (unknown, expired, or the user is deactivated). Sliding expiry:
 * at most once an hour per session the expiry moves to now + SESSION_TTL_DAYS, so an active user stays
 * signed in without a write on every request.
 */
export async function resolveSession(deps: SessionDeps, token: string): Promise<ResolvedSession | null> {
  const { db, config } = deps;
  if (token.length === 0 || token.length > 256) return null;
  const now = deps.now();
  const found = await findSessionWithUser(db, hashToken(token), now);
  if (!found) return null;
  const { session, user } = found;
  if (!user.is_active) return null;
  let extended = false;
  if (now.getTime() - session.last_seen_at.getTime() >= HOUR_MS) {
    const expiresAt = expiryFrom(now, config);
    await session.$query().patch({ last_seen_at: now, expires_at: expiresAt });
    session.last_seen_at = now;
    session.expires_at = expiresAt;
    extended = true;
  }
  await touchUser({ db }, user, now);
  return { user, session, extended };
}

const SESSION_COLUMNS = [
  'id',
  'created_at',
  'last_seen_at',
  'expires_at',
  'ip_address',
  'user_agent',
] as const;

/** The live session with this token hash and its user, in one query (it runs on every request). */
async function findSessionWithUser(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ session: Session; user: User } | null> {
  const row = await db.sql.first(
    `select users.*, ${SESSION_COLUMNS.map((column) => `sessions.${column} as session_${column}`).join(', ')}
     from sessions join users on users.id = sessions.user_id
     where sessions.token_hash = ? and sessions.expires_at > ?
     limit 1`,
    [tokenHash, now.toISOString()],
  );
  if (!row) return null;
  const sessionColumns: Record<string, unknown> = { user_id: row.id, token_hash: tokenHash };
  for (const column of SESSION_COLUMNS) {
    sessionColumns[column] = row[`session_${column}`];
    delete row[`session_${column}`];
  }
  return {
    session: db.models.Session.fromDatabaseJson(sessionColumns),
    user: db.models.User.fromDatabaseJson(row),
  };
}

/** `users.last_access`, written at most once an hour per user. */
async function touchUser({ db }: { db: Db }, user: User, now: Date): Promise<void> {
  if (user.last_access && now.getTime() - user.last_access.getTime() < HOUR_MS) return;
  await db.models.User.query().findById(user.id).patch({ last_access: now });
  user.last_access = now;
}

export async function endSession({ db }: { db: Db }, sessionId: number): Promise<void> {
  await db.models.Session.query().deleteById(sessionId);
}

/** Signs a user out everywhere, or everywhere but the session that asked (`except`). */
export async function endUserSessions(
  { db, trx }: { db: Db; trx?: Transaction },
  userId: number,
  options: { except?: number | null } = {},
): Promise<number> {
  const query = db.models.Session.query(trx).where('user_id', userId);
  if (options.except != null) query.whereNot('id', options.except);
  return query.delete();
}
