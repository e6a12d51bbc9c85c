import type { Knex } from 'knex';
import { createdAt, dateTime } from '../schema-helpers';

/**
 * Blind comparisons (issue 17; not in the seed): one row per blind run, whose id is the run's (and its
 * credit hold's). `labels` maps each label the user sees ("Model A" …) to the model id behind it; the API
 * shows labels until `revealed_at` is set, which happens in the transaction that saves the owner's vote.
 * A visitor's run has no user and no conversation: its owner is whoever holds the run's secret, kept only
 * as its SHA-256 (`owner_digest`). Deleted with its user or its conversation (CASCADE).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('blind_runs', (t) => {
    t.string('id', 36).primary();
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('CASCADE').index();
    t.integer('conversation_id')
      .nullable()
      .references('id')
      .inTable('conversations')
      .onDelete('CASCADE')
      .index();
    t.string('ip_address', 45).notNullable();
    t.string('browser_fingerprint', 64).nullable();
    /** SHA-256 hex of the owner key (`user:<id>` or `visitor:<runSecret>`), as the run's event log keeps it. */
    t.string('owner_digest', 64).notNullable();
    /** JSON object: label → model id. */
    t.text('labels').notNullable();
    /** The run's usage log once settled, so the credit history can show labels for it until the vote. */
    t.integer('usage_log_id').nullable().references('id').inTable('usage_logs').onDelete('SET NULL').index();
    createdAt(knex, t);
    /** Set when the run settled (every card ended), in the settling transaction. */
    dateTime(t, 'finished_at').nullable();
    dateTime(t, 'revealed_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('blind_runs');
}
