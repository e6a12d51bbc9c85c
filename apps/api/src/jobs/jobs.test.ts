import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess } from '../testing/api-process';
import { FakeClock } from '../testing/fake-clock';
import { compareEvents, createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';
import { runJob } from './jobs';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const clock = new FakeClock(NOW);
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp(
    { RETENTION_DAYS: 90, MOCK_FIRST_TOKEN_MS: 0, MOCK_TOKEN_DELAY_MS: 0 },
    { now: clock.now },
  );
});
afterAll(async () => {
  await app.close();
});

interface LogFixture {
  at: string;
  userId: number | null;
  models: string[];
  successful: number;
  failed: number;
  input: number;
  output: number;
  credits: number;
  actual: number;
  estimated: number;
  overage?: boolean;
  /** Per-model rows (newer logs); absent for logs from before they were written. */
  perModel?: Array<{
    model: string;
    status: string;
    input: number;
    output: number;
    credits: number;
    cost: number;
  }>;
}

async function insertLog(log: LogFixture): Promise<number> {
  const row = await app.db.models.UsageLog.query().insert({
    user_id: log.userId,
    ip_address: '203.0.113.9',
    browser_fingerprint: null,
    models_used: log.models,
    input_length: 10,
    models_requested: log.models.length,
    models_successful: log.successful,
    models_failed: log.failed,
    processing_time_ms: 1000,
    input_tokens: log.input,
    output_tokens: log.output,
    total_tokens: log.input + log.output,
    effective_tokens: Math.round(log.input + 2.5 * log.output),
    credits_used: log.credits,
    actual_cost: log.actual,
    estimated_cost: log.estimated,
    is_overage: log.overage ?? false,
    overage_charge: log.overage ? log.credits * 0.013 : 0,
    created_at: new Date(log.at),
  });
  for (const part of log.perModel ?? []) {
    await app.db.knex('usage_log_models').insert({
      usage_log_id: row.id,
      model_id: part.model,
      status: part.status,
      input_tokens: part.input,
      output_tokens: part.output,
      credits: part.credits,
      actual_cost: part.cost,
    });
  }
  return row.id;
}

describe('retention (issue 12)', () => {
  it('folds whole months past the window into exact aggregates, merging, deleting the rows, once', async () => {
    const { user } = await createTestUser(app.db);
    const first = await insertLog({
      at: '2026-07-03T10:00:00Z',
      userId: user.id,
      models: ['m/a', 'm/b'],
      successful: 2,
      failed: 0,
      input: 100,
      output: 300,
      credits: 3,
      actual: 0.02,
      estimated: 0.03,
      perModel: [
        { model: 'm/a', status: 'done', input: 40, output: 100, credits: 1.2, cost: 0.008 },
        { model: 'm/b', status: 'done', input: 60, output: 200, credits: 1.8, cost: 0.012 },
      ],
    });
    await app.db.models.CreditTransaction.query().insert({
      user_id: user.id,
      transaction_type: 'usage',
      credits_amount: -3,
      description: 'Comparison of 2 models',
      related_usage_log_id: first,
    });
    await insertLog({
      at: '2026-07-20T23:59:59Z',
      userId: null,
      models: ['m/a', 'm/c'],
      successful: 1,
      failed: 1,
      input: 50,
      output: 70,
      credits: 1,
      actual: 0.005,
      estimated: 0.004,
      perModel: [
        { model: 'm/a', status: 'done', input: 25, output: 70, credits: 1, cost: 0.005 },
        { model: 'm/c', status: 'failed', input: 25, output: 0, credits: 0, cost: 0 },
      ],
    });
    // An older log without per-model rows, in overage: attributed evenly, successes to the first models.
    await insertLog({
      at: '2026-07-31T23:00:00Z',
      userId: user.id,
      models: ['m/b', 'm/c', 'm/d'],
      successful: 2,
      failed: 1,
      input: 31,
      output: 10,
      credits: 5,
      actual: 0.01,
      estimated: 0.02,
      overage: true,
    });
    await insertLog({
      at: '2026-08-01T00:00:00Z',
      userId: user.id,
      models: ['m/a'],
      successful: 1,
      failed: 0,
      input: 10,
      output: 20,
      credits: 1,
      actual: 0.001,
      estimated: 0.002,
      perModel: [{ model: 'm/a', status: 'done', input: 10, output: 20, credits: 1, cost: 0.001 }],
    });
    await insertLog({
      at: '2026-08-31T23:59:59Z',
      userId: null,
      models: ['m/a', 'm/b'],
      successful: 0,
      failed: 2,
      input: 20,
      output: 0,
      credits: 0,
      actual: 0,
      estimated: 0.0001,
      perModel: [
        { model: 'm/a', status: 'failed', input: 10, output: 0, credits: 0, cost: 0 },
        { model: 'm/b', status: 'failed', input: 10, output: 0, credits: 0, cost: 0 },
      ],
    });
    // Inside the window's month (September holds now − 90 days): stays raw.
    await insertLog({
      at: '2026-09-01T00:00:00Z',
      userId: null,
      models: ['m/a'],
      successful: 1,
      failed: 0,
      input: 1,
      output: 1,
      credits: 1,
      actual: 0,
      estimated: 0,
    });
    await insertLog({
      at: '2026-11-30T00:00:00Z',
      userId: user.id,
      models: ['m/a'],
      successful: 1,
      failed: 0,
      input: 1,
      output: 1,
      credits: 1,
      actual: 0,
      estimated: 0,
    });
    // July already has an aggregate (from an earlier run): merged into, never overwritten.
    await app.db.models.UsageLogMonthlyAggregate.query().insert({
      year: 2026,
      month: 7,
      total_comparisons: 10,
      total_models_requested: 20,
      total_models_successful: 18,
      total_models_failed: 2,
      total_input_tokens: 1000,
      total_output_tokens: 2000,
      total_effective_tokens: 6000,
      avg_input_tokens: 1,
      avg_output_tokens: 1,
      avg_output_ratio: 1,
      total_credits_used: 30,
      avg_credits_per_comparison: 1,
      total_actual_cost: 0.5,
      total_estimated_cost: 0.6,
      model_breakdown: {
        'm/a': {
          requested: 10,
          successful: 9,
          failed: 1,
          inputTokens: 500,
          outputTokens: 1000,
          credits: 15,
          actualCost: 0.25,
        },
        'm/e': {
          requested: 10,
          successful: 9,
          failed: 1,
          inputTokens: 500,
          outputTokens: 1000,
          credits: 15,
          actualCost: 0.25,
        },
      },
    });

    const dry = await runJob(app.services, 'retention', { trigger: 'manual', dryRun: true });
    expect(dry.counts).toEqual({ rowsFolded: 5, months: 2 });
    expect(await app.db.models.UsageLog.query().resultSize()).toBe(7);
    expect(await app.db.models.JobRun.query().resultSize()).toBe(0);

    const run = await runJob(app.services, 'retention', { trigger: 'manual' });
    expect(run).toMatchObject({ ran: true, error: null, counts: { rowsFolded: 5, months: 2 } });

    const july = await app.db.models.UsageLogMonthlyAggregate.query().findOne({ year: 2026, month: 7 });
    expect(july).toMatchObject({
      total_comparisons: 13,
      total_models_requested: 27,
      total_models_successful: 23,
      total_models_failed: 4,
      total_input_tokens: 1181,
      total_output_tokens: 2380,
      total_effective_tokens: 6000 + 850 + 225 + 56,
      avg_input_tokens: 90.8462,
      avg_output_tokens: 183.0769,
      avg_output_ratio: 2.0152,
      total_credits_used: 39,
      avg_credits_per_comparison: 3,
      total_actual_cost: 0.535,
      total_estimated_cost: 0.654,
    });
    expect(july?.model_breakdown).toEqual({
      'm/a': {
        requested: 12,
        successful: 11,
        failed: 1,
        inputTokens: 565,
        outputTokens: 1170,
        credits: 17.2,
        actualCost: 0.263,
      },
      'm/b': {
        requested: 2,
        successful: 2,
        failed: 0,
        inputTokens: 71,
        outputTokens: 204,
        credits: 3.4667,
        actualCost: 0.0154,
      },
      'm/c': {
        requested: 2,
        successful: 1,
        failed: 1,
        inputTokens: 35,
        outputTokens: 3,
        credits: 1.6667,
        actualCost: 0.0033,
      },
      'm/d': {
        requested: 1,
        successful: 0,
        failed: 1,
        inputTokens: 10,
        outputTokens: 3,
        credits: 1.6666,
        actualCost: 0.0033,
      },
      'm/e': {
        requested: 10,
        successful: 9,
        failed: 1,
        inputTokens: 500,
        outputTokens: 1000,
        credits: 15,
        actualCost: 0.25,
      },
    });
    const august = await app.db.models.UsageLogMonthlyAggregate.query().findOne({ year: 2026, month: 8 });
    expect(august).toMatchObject({
      total_comparisons: 2,
      total_models_requested: 3,
      total_models_successful: 1,
      total_models_failed: 2,
      total_input_tokens: 30,
      total_output_tokens: 20,
      total_effective_tokens: 80,
      avg_input_tokens: 15,
      avg_output_tokens: 10,
      avg_output_ratio: 0.6667,
      total_credits_used: 1,
      avg_credits_per_comparison: 0.5,
    });
    expect(august?.model_breakdown).toEqual({
      'm/a': {
        requested: 2,
        successful: 1,
        failed: 1,
        inputTokens: 20,
        outputTokens: 20,
        credits: 1,
        actualCost: 0.001,
      },
      'm/b': {
        requested: 1,
        successful: 0,
        failed: 1,
        inputTokens: 10,
        outputTokens: 0,
        credits: 0,
        actualCost: 0,
      },
    });

    const left = await app.db.models.UsageLog.query().orderBy('created_at');
    expect(left.map((row) => row.created_at.toISOString())).toEqual([
      '2026-09-01T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(
      await app.db.knex('usage_log_models').whereNotIn(
        'usage_log_id',
        left.map((row) => row.id),
      ),
    ).toHaveLength(0);
    // The ledger row stays, unlinked (the seed's ON DELETE SET NULL).
    const ledger = await app.db.models.CreditTransaction.query().where('user_id', user.id);
    expect(ledger).toEqual([expect.objectContaining({ credits_amount: -3, related_usage_log_id: null })]);

    // Again: nothing left to fold, nothing changes.
    const again = await runJob(app.services, 'retention', { trigger: 'manual' });
    expect(again.counts).toEqual({ rowsFolded: 0, months: 0 });
    const julyAgain = await app.db.models.UsageLogMonthlyAggregate.query().findOne({ year: 2026, month: 7 });
    expect(julyAgain?.total_comparisons).toBe(13);
    expect(julyAgain?.model_breakdown).toEqual(july?.model_breakdown);
    const runs = await app.db.models.JobRun.query().where('job_name', 'retention');
    expect(runs).toHaveLength(2);
    expect(runs[0]?.counts).toEqual({ rowsFolded: 5, months: 2 });
  });
});

describe('the credit ledger (issue 12)', () => {
  async function ledgerSum(userId: number): Promise<number> {
    const rows = await app.db.models.CreditTransaction.query().where('user_id', userId);
    return rows.reduce((sum, row) => sum + row.credits_amount, 0);
  }

  it('sums to the pool left at every step: sign-up, verification, comparisons and three daily resets', async () => {
    const email = `ledger-${Date.now()}@example.test`;
    await app.caller().auth.register({ email, password: 'ledger pass 1' });
    const mail = app.services.devOutbox?.list().find((m) => m.to === email);
    const token = /token=([\w-]+)/.exec(mail?.links.join(' ') ?? '')?.[1] ?? '';
    const registered = await app.db.models.User.query().findOne({ email }).throwIfNotFound();
    expect(await ledgerSum(registered.id)).toBe(50);
    await app.caller().auth.verifyEmail({ token });
    const user = await app.db.models.User.query().findById(registered.id).throwIfNotFound();
    const caller = await app.callerAs(user);
    const check = async () => {
      const balance = await caller.credits.balance();
      expect(await ledgerSum(user.id)).toBe(balance.remaining);
      return balance;
    };
    expect((await check()).remaining).toBe(100);

    for (let day = 0; day < 3; day += 1) {
      for await (const _ of compareEvents(caller, {
        models: ['google/gemini-2.5-flash'],
        prompt: `Day ${day}`,
      })) {
        // drain
      }
      const spent = await check();
      expect(spent.used).toBeGreaterThan(0);
      clock.advance(86_400_000);
      // An idle user's pool is reset by the job (expiration + allocation), the others' at admission.
      if (day % 2 === 0) {
        const outcome = await runJob(app.services, 'resets', { trigger: 'manual' });
        expect(outcome.counts.reset).toBeGreaterThanOrEqual(1);
      }
      expect((await check()).remaining).toBe(100);
    }
    const types = (await app.db.models.CreditTransaction.query().where('user_id', user.id).orderBy('id')).map(
      (row) => row.transaction_type,
    );
    expect(types.filter((type) => type === 'expiration')).toHaveLength(3);
    expect(types.filter((type) => type === 'allocation')).toHaveLength(5);
  });

  it('sums to the pool left for a monthly user across a renewal, with overage bought past the pool', async () => {
    const periodEnd = new Date(clock.now().getTime() + 2 * 86_400_000);
    const { user } = await createTestUser(app.db, {
      subscription_tier: 'starter',
      monthly_credits_allocated: 720,
      credits_used_this_period: 730,
      billing_period_end: periodEnd,
      credits_reset_at: periodEnd,
    });
    // The pool as billing allocated it, and the usage so far (past the pool: overage).
    await app.db.models.CreditTransaction.query().insert({
      user_id: user.id,
      transaction_type: 'allocation',
      credits_amount: 720,
    });
    await app.db.models.CreditTransaction.query().insert({
      user_id: user.id,
      transaction_type: 'usage',
      credits_amount: -730,
    });
    const caller = await app.callerAs(user);
    expect(await ledgerSum(user.id)).toBe((await caller.credits.balance()).remaining);
    clock.advance(3 * 86_400_000);
    await runJob(app.services, 'resets', { trigger: 'manual' });
    const balance = await caller.credits.balance();
    expect(balance.remaining).toBe(720);
    expect(await ledgerSum(user.id)).toBe(720);
    const purchase = await app.db.models.CreditTransaction.query().findOne({
      user_id: user.id,
      transaction_type: 'purchase',
    });
    expect(purchase?.credits_amount).toBe(10);
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh.monthly_overage_count).toBe(0);
  });
});

describe('cleanup (issue 12)', () => {
  it('removes expired sessions and tokens and counts what it did; a dry run writes nothing', async () => {
    const { user } = await createTestUser(app.db, {
      verification_token: 'x'.repeat(64),
      verification_token_expires: new Date(clock.now().getTime() - 1000),
      reset_token: 'y'.repeat(64),
      reset_token_expires: new Date(clock.now().getTime() + 3_600_000),
    });
    const { session } = await app.signIn(user);
    await app.db.models.Session.query()
      .findById(session.id)
      .patch({ expires_at: new Date(clock.now().getTime() - 1) });
    const dry = await runJob(app.services, 'cleanup', { trigger: 'manual', dryRun: true });
    expect(dry.counts).toMatchObject({
      expiredSessions: 1,
      expiredVerificationTokens: 1,
      expiredResetTokens: 0,
    });
    expect(await app.db.models.Session.query().findById(session.id)).toBeDefined();
    const run = await runJob(app.services, 'cleanup', { trigger: 'manual' });
    expect(run.counts).toMatchObject({
      expiredSessions: 1,
      expiredVerificationTokens: 1,
      expiredResetTokens: 0,
    });
    expect(await app.db.models.Session.query().findById(session.id)).toBeUndefined();
    const fresh = await app.db.models.User.query().findById(user.id).throwIfNotFound();
    expect(fresh).toMatchObject({
      verification_token: null,
      verification_token_expires: null,
      reset_token: 'y'.repeat(64),
    });
  });
});

describe('the schedule across API processes (issue 12)', () => {
  it('runs each job once per tick when two API processes share the database', async () => {
    const env = {
      DATABASE_URL: app.db.url,
      JOBS_ENABLED: 'true',
      JOB_INTERVALS: 'retention=1,resets=1,cleanup=1',
    };
    const before = new Date();
    const [one, two] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await Promise.all([one.stop(), two.stop()]);
    const runs = await app.db.models.JobRun.query()
      .where('trigger', 'schedule')
      .andWhere('started_at', '>=', before.toISOString());
    for (const name of ['retention', 'resets', 'cleanup']) {
      const ticks = runs.filter((run) => run.job_name === name).map((run) => Date.parse(run.tick));
      // One run per tick (never two), and no tick skipped while both ran.
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      const sorted = [...ticks].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i += 1) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBe(1000);
    }
    expect(runs.every((run) => run.error === null && run.finished_at !== null)).toBe(true);
  }, 60_000);

  it('`pnpm jobs` lists the jobs and runs one with --dry-run from the command line', () => {
    const apiDir = path.resolve(import.meta.dirname, '../..');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/jobs/cli.ts', ...args], {
        cwd: apiDir,
        env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: app.db.url, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const list = run(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/retention\s+daily/);
    expect(list.stdout).toMatch(/cleanup\s+hourly/);
    const dry = run(['retention', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/retention \(dry run: nothing written\): rowsFolded=\d+ months=\d+/);
    expect(run(['nonsense']).status).toBe(2);
  });
});

describe('jobs in the staff console (issue 12)', () => {
  it('shows each job’s last run; only a super_admin runs one now, and both the run and a refusal are audited', async () => {
    const { user: superAdmin } = await createTestUser(app.db, { role: 'super_admin' });
    const { user: admin } = await createTestUser(app.db, { role: 'admin' });
    const asSuper = await app.callerAs(superAdmin);
    const asAdmin = await app.callerAs(admin);

    const ran = await asSuper.admin.jobs.run({ name: 'cleanup' });
    expect(ran.error).toBeNull();
    expect(Object.keys(ran.counts)).toContain('expiredSessions');
    await expect(asAdmin.admin.jobs.run({ name: 'cleanup' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const jobs = await asAdmin.admin.jobs.list();
    expect(jobs.map((job) => job.name)).toEqual(['retention', 'resets', 'cleanup']);
    const cleanup = jobs.find((job) => job.name === 'cleanup');
    expect(cleanup?.lastRun).toMatchObject({ trigger: 'manual', error: null, counts: ran.counts });
    expect(cleanup?.intervalSeconds).toBe(3600);

    const audit = await app.db.models.AdminActionLog.query().where('action_type', 'job.run').orderBy('id');
    expect(audit.map((row) => [row.admin_user_id, row.details?.outcome ?? 'ran'])).toEqual([
      [superAdmin.id, 'ran'],
      [admin.id, 'refused'],
    ]);
  });
});
