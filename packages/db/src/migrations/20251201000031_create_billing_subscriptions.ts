import type { Knex } from 'knex';
import { dateTime, nowDefault } from '../schema-helpers';

/**
 * A user's Stripe subscription beside the seed's users columns (issue 11): a downgrade (or the end of a
 * cancelled plan) waiting for period end, and the `created` time of the last subscription event applied,
 * so an older event arriving late is not applied over a newer one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_subscriptions', (t) => {
    t.integer('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.string('stripe_subscription_id', 255).nullable().index();
    t.string('pending_tier', 50).nullable();
    t.string('pending_period', 20).nullable();
    t.boolean('cancel_at_period_end').notNullable().defaultTo(false);
    t.bigInteger('last_event_created').notNullable().defaultTo(0);
    dateTime(t, 'updated_at').notNullable().defaultTo(nowDefault(knex));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('billing_subscriptions');
}
