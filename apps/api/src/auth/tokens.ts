import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 hex: what the database keeps of a session, verification or reset token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh opaque token (32 random bytes, base64url) and the hash to store. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}
