import type { Knex } from 'knex';
import { dateTime, nowDefault } from '../schema-helpers';

/**
 * Every Stripe webhook event applied, by Stripe's event id (issue 11): the webhook inserts the id first in
 * the transaction that applies the event, so a replay or a concurrent duplicate changes nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stripe_events', (t) => {
    t.string('id', 255).primary();
    t.string('type', 100).notNullable();
    t.bigInteger('event_created').notNullable();
    dateTime(t, 'processed_at').notNullable().defaultTo(nowDefault(knex));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stripe_events');
}
