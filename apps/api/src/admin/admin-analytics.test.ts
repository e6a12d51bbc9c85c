import type { Db } from '@compareintel/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { createTestUser } from '../testing/user-factory';
import { createStaff } from './admin-testing';

// Now is 2026-06-15; RETENTION_DAYS 90 puts the window's edge on 2026-03-17, so raw logs are read from
// 2026-03-01 on, and January and February 2026 are "entirely older than the window".
const NOW = new Date('2026-06-15T12:00:00Z');

let app: TestApp;
let caller: Awaited<ReturnType<TestApp['callerAs']>>;

async function log(db: Db, at: string, values: Record<string, unknown>) {
  await db.knex('usage_logs').insert({
    created_at: new Date(at).toISOString(),
    models_used: JSON.stringify(values.models ?? ['m/a']),
    models_requested: values.requested,
    models_successful: values.successful,
    models_failed: values.failed,
    input_tokens: values.input,
    output_tokens: values.output,
    effective_tokens: values.effective,
    credits_used: values.credits,
    actual_cost: values.actual,
    estimated_cost: values.estimated,
    user_id: values.userId ?? null,
  });
}

beforeAll(async () => {
  app = await createTestApp({ RETENTION_DAYS: 90 }, { now: () => NOW });
  const staff = await createStaff(app, 'moderator');
  caller = await app.callerAs(staff);
  const { user: u1 } = await createTestUser(app.db);
  const { user: u2 } = await createTestUser(app.db);
  const db = app.db;
  // January: aggregated (old enough, has a row) — the stray raw row must not be counted again.
  await db.models.UsageLogMonthlyAggregate.query().insert({
    year: 2026,
    month: 1,
    total_comparisons: 10,
    total_models_requested: 20,
    total_models_successful: 18,
    total_models_failed: 2,
    total_input_tokens: 1000,
    total_output_tokens: 2000,
    total_effective_tokens: 6000,
    total_credits_used: 12.5,
    total_actual_cost: 0.25,
    total_estimated_cost: 0.3,
    model_breakdown: {
      'm/a': { requested: 10, successful: 9, failed: 1 },
      'm/b': { requested: 10, successful: 9, failed: 1 },
    },
  });
  await log(db, '2026-01-20T10:00:00Z', {
    requested: 1,
    successful: 1,
    failed: 0,
    credits: 99,
    userId: u2.id,
  });
  // February: old, but not aggregated yet: read from the logs.
  await log(db, '2026-02-01T12:00:00Z', {
    requested: 1,
    successful: 1,
    failed: 0,
    input: 100,
    output: 50,
    effective: 225,
    credits: 1,
    actual: 0.01,
    estimated: 0.02,
    userId: u1.id,
  });
  // March: inside the window; its (premature) aggregate row is ignored.
  await db.models.UsageLogMonthlyAggregate.query().insert({ year: 2026, month: 3, total_comparisons: 500 });
  await log(db, '2026-03-10T00:00:00Z', {
    models: ['m/a', 'm/b'],
    requested: 2,
    successful: 2,
    failed: 0,
    input: 200,
    output: 100,
    effective: 450,
    credits: 2,
    actual: 0.02,
    estimated: 0.03,
    userId: u1.id,
  });
  await log(db, '2026-03-10T23:59:59Z', {
    models: ['m/a', 'm/b'],
    requested: 2,
    successful: 1,
    failed: 1,
    input: 50,
    output: 20,
    effective: 100,
    credits: 0.5,
    actual: 0,
    estimated: 0.01,
  });
  // June: one failed answer.
  await log(db, '2026-06-14T08:00:00Z', {
    models: ['m/b'],
    requested: 1,
    successful: 0,
    failed: 1,
    input: 10,
    output: 0,
    effective: 10,
    credits: 0,
    actual: 0,
    estimated: 0,
    userId: u2.id,
  });
  // Outside the range asked for below.
  await log(db, '2025-12-31T23:59:59Z', { requested: 1, successful: 1, failed: 0, credits: 7 });
});
afterAll(async () => {
  await app?.close();
});

describe('admin.analytics.summary', () => {
  it('adds aggregated and raw months without counting any twice (hand-computed)', async () => {
    const summary = await caller.admin.analytics.summary({
      from: '2026-01-01',
      to: '2026-06-30',
      granularity: 'month',
    });
    expect(summary.rawLogsSince).toBe('2026-03-01T00:00:00.000Z');
    expect(summary.totals).toEqual({
      comparisons: 14,
      modelsRequested: 26,
      modelsSuccessful: 22,
      modelsFailed: 4,
      inputTokens: 1360,
      outputTokens: 2170,
      effectiveTokens: 6785,
      credits: 16,
      actualCost: 0.28,
      estimatedCost: 0.36,
      activeUsers: 2,
      anonymousShare: 0.25,
      searches: 0,
    });
    expect(summary.buckets.map((b) => [b.period, b.source, b.comparisons, b.credits])).toEqual([
      ['2026-01', 'aggregates', 10, 12.5],
      ['2026-02', 'logs', 1, 1],
      ['2026-03', 'logs', 2, 2.5],
      ['2026-04', 'logs', 0, 0],
      ['2026-05', 'logs', 0, 0],
      ['2026-06', 'logs', 1, 0],
    ]);
    expect(summary.buckets[0]).toMatchObject({ activeUsers: null, anonymousShare: null });
    expect(summary.buckets[2]).toMatchObject({ activeUsers: 1, anonymousShare: 0.5, modelsFailed: 1 });
  });

  it('gives days for raw months and one bucket for an aggregated month', async () => {
    const summary = await caller.admin.analytics.summary({
      from: '2026-01-30',
      to: '2026-02-02',
      granularity: 'day',
    });
    expect(summary.buckets.map((b) => [b.period, b.source, b.comparisons])).toEqual([
      ['2026-01', 'aggregates', 10],
      ['2026-02-01', 'logs', 1],
      ['2026-02-02', 'logs', 0],
    ]);
    const march = await caller.admin.analytics.summary({
      from: '2026-03-09',
      to: '2026-03-11',
      granularity: 'day',
    });
    expect(march.buckets.map((b) => [b.period, b.comparisons, b.effectiveTokens])).toEqual([
      ['2026-03-09', 0, 0],
      ['2026-03-10', 2, 550],
      ['2026-03-11', 0, 0],
    ]);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      caller.admin.analytics.summary({ from: '2026-02-01', to: '2026-01-01', granularity: 'day' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('admin.analytics.byModel', () => {
  it('counts answers per model from logs and aggregate breakdowns', async () => {
    const result = await caller.admin.analytics.byModel({ from: '2026-01-01', to: '2026-06-30' });
    expect(result.models).toEqual([
      { modelId: 'm/a', requested: 13, successful: 11, failed: 1, undetermined: 1 },
      { modelId: 'm/b', requested: 13, successful: 10, failed: 2, undetermined: 1 },
    ]);
  });
});
