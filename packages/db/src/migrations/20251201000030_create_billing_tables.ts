import type { Knex } from 'knex';
import { dateTime, nowDefault } from '../schema-helpers';

/**
 * Billing state the seed's tables have no column for (issue 11), beside them so the seed stays as it is:
 * - `stripe_events`: every webhook event applied, by Stripe's event id (a replay changes nothing);
 * - `billing_subscriptions`: the user's Stripe subscription, a downgrade waiting for period end, and the
 *   `created` time of the last subscription event applied (older events arriving late are not applied);
 * - `overage_settings`: opt-in overage for the current billing period, its cap in USD and in whole
 *   credits, and the overage credits already taken (held by runs in flight plus charged);
 * - `overage_charges`: one row per settled run that went past the pool, reported to Stripe once;
 * - `credit_holds.overage_credits`: how much of a hold was admitted beyond the pool.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stripe_events', (t) => {
    t.string('id', 255).primary();
    t.string('type', 100).notNullable();
    t.bigInteger('event_created').notNullable();
    dateTime(t, 'processed_at').notNullable().defaultTo(nowDefault(knex));
  });
  await knex.schema.createTable('billing_subscriptions', (t) => {
    t.integer('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.string('stripe_subscription_id', 255).nullable().index();
    t.string('pending_tier', 50).nullable();
    t.string('pending_period', 20).nullable();
    t.boolean('cancel_at_period_end').notNullable().defaultTo(false);
    t.bigInteger('last_event_created').notNullable().defaultTo(0);
    dateTime(t, 'updated_at').notNullable().defaultTo(nowDefault(knex));
  });
  await knex.schema.createTable('overage_settings', (t) => {
    t.integer('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.boolean('enabled').notNullable().defaultTo(false);
    t.decimal('cap_usd', 10, 2).notNullable().defaultTo(0);
    t.integer('cap_credits').notNullable().defaultTo(0);
    t.integer('credits_used').notNullable().defaultTo(0);
    dateTime(t, 'updated_at').notNullable().defaultTo(nowDefault(knex));
  });
  await knex.schema.createTable('overage_charges', (t) => {
    t.string('hold_id', 64).primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('credits').notNullable();
    t.decimal('amount_usd', 10, 4).notNullable();
    dateTime(t, 'reported_at').nullable();
    dateTime(t, 'created_at').notNullable().defaultTo(nowDefault(knex));
    t.index(['user_id', 'reported_at']);
  });
  await knex.schema.alterTable('credit_holds', (t) => {
    t.integer('overage_credits').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credit_holds', (t) => {
    t.dropColumn('overage_credits');
  });
  await knex.schema.dropTable('overage_charges');
  await knex.schema.dropTable('overage_settings');
  await knex.schema.dropTable('billing_subscriptions');
  await knex.schema.dropTable('stripe_events');
}
