import type { Knex } from 'knex';
import { createdAt } from '../schema-helpers';

/**
 * Votes on blind runs (issue 17; not in the seed): at most one per run (`blind_run_id` unique), gone with
 * it. `ranking` is a JSON list of model ids, best first; for `best` the winner then the others (tied with
 * each other); for `all_good` / `all_bad` every model, all tied. The voter's account is kept as SET NULL so
 * a deleted account's votes still count on the global board; `is_anonymous` marks visitors' votes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('arena_votes', (t) => {
    t.increments('id').primary();
    t.string('blind_run_id', 36)
      .notNullable()
      .unique()
      .references('id')
      .inTable('blind_runs')
      .onDelete('CASCADE');
    t.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL').index();
    t.boolean('is_anonymous').notNullable();
    t.string('outcome', 10).notNullable();
    t.text('ranking').notNullable();
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('arena_votes');
}
