import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_transactions', (t) => {
    t.increments('id');
    foreignKey(t, 'user_id', 'users', 'CASCADE');
    // Webhooks look payments up by their intent id.
    t.string('stripe_payment_intent_id', 255).nullable().index();
    t.decimal('amount', 10, 2).notNullable();
    t.string('currency', 3).notNullable().defaultTo('USD');
    t.string('status', 50).notNullable().defaultTo('pending');
    t.text('description').nullable();
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_transactions');
}
