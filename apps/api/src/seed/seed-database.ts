import { randomBytes } from 'node:crypto';
import { type Db, ensureAppSettings } from '@compareintel/db';
import { hashPassword } from '../auth/password';

export interface SeededStaff {
  email: string;
  password: string;
}

/**
 * First-start seed: the single app_settings row always; in development also a super_admin account with a
 * random password, returned once so the caller can print it. Production never gets a built-in password.
 */
export async function seedDatabase(
  { db }: { db: Db },
  { createStaff, staffEmail }: { createStaff: boolean; staffEmail: string },
): Promise<SeededStaff | null> {
  await ensureAppSettings(db);
  if (!createStaff) return null;
  const existing = await db.models.User.query().where('role', 'super_admin').first();
  if (existing) return null;
  const password = `${randomBytes(9).toString('base64url')}7a`;
  await db.models.User.query().insert({
    email: staffEmail,
    password_hash: await hashPassword(password),
    is_verified: true,
    is_active: true,
    role: 'super_admin',
    is_admin: true,
    subscription_tier: 'pro_plus',
  });
  return { email: staffEmail, password };
}
