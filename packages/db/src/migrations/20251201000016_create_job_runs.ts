import type { Knex } from 'knex';
import { dateTime } from '../schema-helpers';

/**
 * Scheduled and manual runs of the maintenance jobs (retention, pool resets, cleanup). A scheduled run
 * is claimed by inserting its (job, tick) row: the unique key lets exactly one of several API processes
 * sharing the database run each tick. Also what the staff console shows as a job's last run.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_runs', (t) => {
    t.increments('id');
    t.string('job_name', 50).notNullable();
    /** The schedule tick (ISO start of its interval), or `manual:<uuid>` for a run started by hand. */
    t.string('tick', 80).notNullable();
    t.string('trigger', 20).notNullable();
    t.string('owner', 255).notNullable();
    dateTime(t, 'started_at').notNullable();
    dateTime(t, 'finished_at').nullable();
    t.integer('took_ms').nullable();
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.text('counts').nullable();
    t.text('error').nullable();
    t.unique(['job_name', 'tick']);
    t.index(['job_name', 'started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('job_runs');
}
