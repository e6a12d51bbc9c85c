import type { Knex } from 'knex';
import { dateTime, nowDefault } from '../schema-helpers';

/**
 * Opt-in overage for the current billing period (issue 11): on/off, the cap in USD and in whole credits,
 * and the overage credits taken (held by runs in flight plus charged). Reset to off at every renewal.
 * `credit_holds.overage_credits` says how much of each hold was admitted beyond the pool (so settling or
 * releasing it moves `credits_used` by exactly that).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('overage_settings', (t) => {
    t.integer('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.boolean('enabled').notNullable().defaultTo(false);
    t.decimal('cap_usd', 10, 2).notNullable().defaultTo(0);
    t.integer('cap_credits').notNullable().defaultTo(0);
    t.integer('credits_used').notNullable().defaultTo(0);
    dateTime(t, 'updated_at').notNullable().defaultTo(nowDefault(knex));
  });
  await knex.schema.alterTable('credit_holds', (t) => {
    t.integer('overage_credits').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credit_holds', (t) => {
    t.dropColumn('overage_credits');
  });
  await knex.schema.dropTable('overage_settings');
}
