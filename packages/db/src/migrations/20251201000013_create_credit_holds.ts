import type { Knex } from 'knex';
import { dateTime, timestamps } from '../schema-helpers';

/**
 * Credit holds as rows (issue 9), not in one process's memory:
 *
 * - `credit_holds`: one row per comparison in flight. It says what was held (on the user's counter and/or
 *   on visitor pools), which process runs it (`owner`, renewed in `lease_expires_at`), and what the models
 *   have streamed so far (`progress`, written every few seconds). Settling a run deletes its row in the
 *   same transaction as the charge, so a run is settled exactly once: by the process that ran it, or, when
 *   that process is gone, by whichever process recovers it from `progress`.
 * - `visitor_credit_pools`: the daily pool (UTC day) of each visitor key (`ip:<address>`, `fp:<fingerprint>`,
 *   and `user:<id>` for unverified accounts). `credits_used` counts charges and holds alike, so admission is
 *   one conditional UPDATE per key, exact on SQLite and PostgreSQL and across processes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_holds', (t) => {
    // The run id (a UUID).
    t.string('id', 36).primary();
    // Nullable with CASCADE: deleting the account takes its holds (and their counter) with it.
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('CASCADE').index();
    t.integer('conversation_id')
      .nullable()
      .references('id')
      .inTable('conversations')
      .onDelete('SET NULL')
      .index();
    /** Credits added to the user's `credits_used_this_period` and to each visitor pool key. */
    t.integer('credits').notNullable();
    /** The user's `credits_reset_at` when held: a pool reset since then dropped the hold. */
    dateTime(t, 'period_reset_at').nullable();
    t.integer('pool_size').notNullable();
    t.boolean('allow_overage').notNullable().defaultTo(false);
    /** The visitor pools' day (YYYY-MM-DD, UTC) and keys the hold is counted in (JSON list). */
    t.string('visitor_day', 10).nullable();
    t.text('visitor_keys').notNullable().defaultTo('[]');
    t.string('ip_address', 45).notNullable();
    t.string('browser_fingerprint', 64).nullable();
    t.integer('input_length').notNullable();
    /** Per model: streamed text (saved runs only), tokens, status, cost (JSON). */
    t.text('progress').notNullable().defaultTo('{}');
    /** `host/pid/random` of the process running the models. */
    t.string('owner', 255).notNullable().index();
    dateTime(t, 'lease_expires_at').notNullable().index();
    timestamps(knex, t);
  });

  await knex.schema.createTable('visitor_credit_pools', (t) => {
    t.string('pool_key', 100).notNullable();
    t.string('day', 10).notNullable();
    t.integer('credits_used').notNullable().defaultTo(0);
    t.primary(['pool_key', 'day']);
    // Old days are swept by the cleanup job.
    t.index(['day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('visitor_credit_pools');
  await knex.schema.dropTable('credit_holds');
}
