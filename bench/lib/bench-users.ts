/**
 * The bench's accounts, written straight into a migrated database before the API starts on it: verified
 * Pro+ users in a paid month (pool allocated, reset a month away, so no admission starts a new pool),
 * each with its preferences row and one session whose bearer token the bench keeps.
 *
 * Why not sign-up and `auth.createToken` for each: sign-up needs the mailed verification link, and
 * sign-in is limited to 30 attempts per IP per 15 minutes and costs a bcrypt check (~60 ms of API CPU)
 * each, so 1,000 users would be refused and would cost a minute of the API's CPU. A session row is what
 * `createToken` writes (the token's SHA-256, by the API's own hashToken), so requests authenticate exactly
 * as production's bearer clients do. One history user signs in over HTTP (history section), which keeps
 * that path covered too; the password hash is a real bcrypt hash (bcryptjs, cost 10) for everyone.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '@compareintel/api/internal/auth/password';
import { newToken } from '@compareintel/api/internal/auth/tokens';
import type { Db } from '@compareintel/db';
import { TIERS } from '@compareintel/shared';

const DAY_MS = 86_400_000;
const BATCH = 500;

export interface BenchUser {
  id: number;
  email: string;
  password: string;
  token: string;
}

/** `count` users with emails `bench-<run>-<i>@example.test`, in batches. */
export async function createBenchUsers(db: Db, count: number): Promise<BenchUser[]> {
  const run = randomBytes(4).toString('hex');
  const password = `${randomBytes(9).toString('base64url')}7a`;
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const monthEnd = new Date(now.getTime() + 30 * DAY_MS);
  const users: BenchUser[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const emails = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => `bench-${run}-${start + i}@example.test`,
    );
    await db.knex.transaction(async (trx) => {
      await trx('users').insert(
        emails.map((email) => ({
          email,
          password_hash: passwordHash,
          is_verified: true,
          is_active: true,
          subscription_tier: 'pro_plus',
          subscription_status: 'active',
          subscription_period: 'monthly',
          subscription_start_date: now.toISOString(),
          role: 'user',
          monthly_credits_allocated: TIERS.pro_plus.credits,
          billing_period_start: now.toISOString(),
          billing_period_end: monthEnd.toISOString(),
          credits_reset_at: monthEnd.toISOString(),
          overage_reset_date: monthEnd.toISOString().slice(0, 10),
        })),
      );
      const rows: Array<{ id: number; email: string }> = await trx('users')
        .whereIn('email', emails)
        .select('id', 'email');
      const idOf = new Map(rows.map((row) => [row.email, Number(row.id)]));
      const batch = emails.map((email) => ({ id: idOf.get(email) ?? 0, email, password, ...newToken() }));
      await trx('user_preferences').insert(batch.map((user) => ({ user_id: user.id })));
      await trx('sessions').insert(
        batch.map((user) => ({
          user_id: user.id,
          token_hash: user.hash,
          last_seen_at: now.toISOString(),
          expires_at: monthEnd.toISOString(),
          ip_address: '127.0.0.1',
          user_agent: 'compare-bench',
        })),
      );
      users.push(...batch.map(({ id, email, token }) => ({ id, email, password, token })));
    });
  }
  return users;
}
