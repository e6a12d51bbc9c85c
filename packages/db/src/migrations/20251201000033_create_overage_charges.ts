import type { Knex } from 'knex';
import { dateTime, nowDefault } from '../schema-helpers';

/**
 * The overage of each settled run, keyed by its hold id (issue 11), written in the settling transaction
 * and reported to Stripe as a meter event afterwards (`reported_at` once Stripe accepted it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('overage_charges', (t) => {
    t.string('hold_id', 64).primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('credits').notNullable();
    t.decimal('amount_usd', 10, 4).notNullable();
    dateTime(t, 'reported_at').nullable();
    dateTime(t, 'created_at').notNullable().defaultTo(nowDefault(knex));
    t.index(['user_id', 'reported_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('overage_charges');
}
