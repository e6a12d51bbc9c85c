import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt cost: 10 is the seed's minimum and keeps sign-in near 60 ms on one core. */
export const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: Promise<string> | null = null;

/**
 * Checks a password against a user's hash, or against a throwaway hash of the same cost when there is
 * no such user, so an unknown email costs the same bcrypt work as a known one (no timing hint).
 */
export async function verifyPasswordOf(
  password: string,
  user: { password_hash: string } | undefined,
): Promise<boolean> {
  if (user) return verifyPassword(password, user.password_hash);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}
