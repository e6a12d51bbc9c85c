import { AppError } from '@compareintel/shared';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { hashToken } from './tokens';

export interface RateLimitRule {
  points: number;
  durationSeconds: number;
  /** What was attempted too often, for the sentence the user reads. */
  what: string;
}

/**
 * Brute-force and mail-flood limits (PRODUCT.md, Accounts). Every attempt counts, before any password
 * is checked. Attempts are counted per IP and per (email, IP), with a much higher ceiling per email, so
 * a stranger's failures from other addresses never lock the owner out; a successful sign-in clears its
 * (email, IP) counter. A signed-in user's own password checks (change password, delete account) are
 * counted per user, apart from anyone's sign-in attempts. Visitors' API calls have a per-IP budget.
 * Web searches made while models answer cost the operator per search: they are counted per user, and
 * per visitor with a lower ceiling. Visitors' blind votes (issue 17) are counted per address, so the
 * anonymous leaderboard cannot be stuffed quickly.
 */
export const RATE_LIMIT_RULES = {
  loginPerIp: { points: 30, durationSeconds: 15 * 60, what: 'sign-in attempts' },
  loginPerEmailIp: { points: 10, durationSeconds: 15 * 60, what: 'sign-in attempts' },
  loginPerEmail: { points: 100, durationSeconds: 60 * 60, what: 'sign-in attempts for this account' },
  reauthPerUser: { points: 10, durationSeconds: 15 * 60, what: 'password checks' },
  registerPerIp: { points: 10, durationSeconds: 60 * 60, what: 'sign-ups' },
  resendPerEmailIp: { points: 3, durationSeconds: 60 * 60, what: 'verification mails' },
  resendPerEmail: { points: 20, durationSeconds: 60 * 60, what: 'verification mails' },
  resetPerEmailIp: { points: 5, durationSeconds: 60 * 60, what: 'password reset requests' },
  resetPerEmail: { points: 50, durationSeconds: 60 * 60, what: 'password reset requests' },
  resetPerIp: { points: 20, durationSeconds: 60 * 60, what: 'password reset requests' },
  publicPerIp: { points: 600, durationSeconds: 60, what: 'requests' },
  searchPerUser: { points: 60, durationSeconds: 60 * 60, what: 'web searches' },
  searchPerVisitor: { points: 20, durationSeconds: 60 * 60, what: 'web searches' },
  votePerVisitorIp: { points: 30, durationSeconds: 60 * 60, what: 'votes' },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMIT_RULES;
const RATE_LIMIT_NAMES: readonly RateLimitName[] = [
  'loginPerIp',
  'loginPerEmailIp',
  'loginPerEmail',
  'reauthPerUser',
  'registerPerIp',
  'resendPerEmailIp',
  'resendPerEmail',
  'resetPerEmailIp',
  'resetPerEmail',
  'resetPerIp',
  'publicPerIp',
  'searchPerUser',
  'searchPerVisitor',
  'votePerVisitorIp',
];
export type RateLimitRules = Record<RateLimitName, RateLimitRule>;

export interface RateLimits {
  /** Counts one attempt; throws TOO_MANY_REQUESTS (with retryAfterSeconds) once the limit is reached. */
  consume(name: RateLimitName, key: string): Promise<void>;
  /** Forgets the attempts of one key (e.g. after a successful sign-in). */
  reset(name: RateLimitName, key: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitOptions {
  /** Separates apps (or test runs) that share one Redis. */
  prefix: string;
  /** Unset: counters live in this process. Set: every API process sharing the Redis shares the counts. */
  redisUrl?: string | undefined;
  rules?: Partial<RateLimitRules>;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

/** Emails are keyed by hash so Redis never holds the addresses themselves. */
export function emailKey(email: string): string {
  return hashToken(email).slice(0, 32);
}

/** One email tried from one network (the IP counted as `ipKey` does). */
export function emailIpKey(email: string, ip: string): string {
  return `${emailKey(email)}:${ipKey(ip)}`;
}

/**
 * The address a per-IP limit counts: IPv4 as is, IPv6 by its /64 network (one subscriber usually holds a
 * whole /64, so counting single addresses would let one client rotate through billions of them).
 */
export function ipKey(ip: string): string {
  const address = ip.split('%')[0] ?? ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: Math.max(0, 8 - headGroups.length - tailGroups.length) }, () => '0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => group.toLowerCase().padStart(4, '0')).join(':')}::/64`;
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const rules: RateLimitRules = { ...RATE_LIMIT_RULES, ...options.rules };
  const redis = options.redisUrl ? lazyRedis(options.redisUrl) : null;
  const limiters = new Map<RateLimitName, Limiter>();
  for (const name of RATE_LIMIT_NAMES) {
    const rule = rules[name];
    const base = {
      keyPrefix: `${options.prefix}:${name}`,
      points: rule.points,
      duration: rule.durationSeconds,
    };
    // When Redis is unreachable the same limit is kept per process rather than not at all.
    const limiter = redis
      ? new RateLimiterRedis({
          ...base,
          storeClient: redis.client,
          insuranceLimiter: new RateLimiterMemory(base),
        })
      : new RateLimiterMemory(base);
    limiters.set(name, limiter);
  }

  function limiterFor(name: RateLimitName): Limiter {
    const limiter = limiters.get(name);
    if (!limiter) throw new Error(`No rate limiter named ${name}`);
    return limiter;
  }

  return {
    async consume(name, key) {
      await redis?.ready();
      try {
        await limiterFor(name).consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError(
          'TOO_MANY_REQUESTS',
          `Too many ${rules[name].what}. ${retryIn(retryAfterSeconds)}`,
          {
            retryAfterSeconds,
          },
        );
      }
    },
    async reset(name, key) {
      await redis?.ready();
      await limiterFor(name).delete(key);
    },
    async close() {
      if (redis && redis.client.status !== 'wait')
        await redis.client.quit().catch(() => redis.client.disconnect());
    },
  };
}

function retryIn(seconds: number): string {
  if (seconds < 90) return `Please try again in ${seconds} seconds.`;
  return `Please try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/**
 * A Redis client that fails fast instead of queueing commands while disconnected (the limiter then
 * falls back to memory). It connects on first use, and that first command waits for the connection,
 * so counts are shared from the first request on.
 */
function lazyRedis(url: string): { client: Redis; ready(): Promise<void> } {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    console.error(
      `Redis for rate limits is unreachable (${error.message}); counting per process until it is back.`,
    );
  });
  client.on('ready', () => {
    reported = false;
  });
  let connecting: Promise<void> | null = null;
  return {
    client,
    ready() {
      connecting ??= client.connect().catch(() => undefined);
      return connecting;
    },
  };
}
