import { randomBytes } from 'node:crypto';
import type { Db, User } from '@compareintel/db';
import { nextDailyReset, TIERS } from '@compareintel/shared';
import { hashPassword } from '../auth/password';

export const TEST_PASSWORD = 'correct horse 42';
let testPasswordHash: Promise<string> | null = null;

export interface TestUser {
  user: User;
  email: string;
  password: string;
}

/**
 * A verified free user with a unique email and the TEST_PASSWORD (hashed once per process: bcrypt is
 * slow on purpose), plus its preferences row. Override any column.
 */
export async function createTestUser(db: Db, overrides: Partial<User> = {}): Promise<TestUser> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const email = overrides.email ?? `user-${randomBytes(5).toString('hex')}@example.test`;
  const now = new Date();
  const inserted = await db.models.User.query().insert({
    password_hash: await testPasswordHash,
    is_verified: true,
    is_active: true,
    subscription_tier: 'free',
    role: 'user',
    monthly_credits_allocated: TIERS.free.credits,
    credits_reset_at: nextDailyReset(now, null),
    ...overrides,
    email,
  });
  await db.models.UserPreference.query().insert({ user_id: inserted.id });
  // Read back so every column (defaults included) is present, as on a row the app loads.
  const user = await db.models.User.query().findById(inserted.id).throwIfNotFound();
  return { user, email: user.email, password: TEST_PASSWORD };
}
