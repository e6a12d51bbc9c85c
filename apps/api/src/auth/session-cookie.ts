import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../env';

export const SESSION_COOKIE = 'ci_session';

/**
 * How services hand the session token to the client. Over HTTP it is a Set-Cookie header; in tests that
 * call procedures directly (createCaller) it is a plain object the test can read.
 */
export interface SessionCookie {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** HttpOnly so scripts cannot read it, SameSite=Lax against cross-site posts, Secure in production. */
export function sessionCookieOptions(config: Pick<AppConfig, 'NODE_ENV'>): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: config.NODE_ENV === 'production' };
}

export function replySessionCookie(reply: FastifyReply, config: Pick<AppConfig, 'NODE_ENV'>): SessionCookie {
  const options = sessionCookieOptions(config);
  return {
    set(token, expiresAt) {
      reply.setCookie(SESSION_COOKIE, token, { ...options, expires: expiresAt });
    },
    clear() {
      reply.clearCookie(SESSION_COOKIE, options);
    },
  };
}

/** The session cookie of a direct caller: what a browser would now hold. */
export class MemorySessionCookie implements SessionCookie {
  token: string | null = null;
  expiresAt: Date | null = null;

  set(token: string, expiresAt: Date): void {
    this.token = token;
    this.expiresAt = expiresAt;
  }

  clear(): void {
    this.token = null;
    this.expiresAt = null;
  }
}

/** The token of `Authorization: Bearer <token>`, for typed internal clients. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}
