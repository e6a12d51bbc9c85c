import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscription_history', (t) => {
    t.increments('id');
    foreignKey(t, 'user_id', 'users', 'CASCADE');
    t.string('previous_tier', 50).nullable();
    t.string('new_tier', 50).notNullable();
    t.string('period', 20).nullable();
    t.decimal('amount_paid', 10, 2).nullable();
    t.string('stripe_payment_id', 255).nullable();
    t.string('reason', 100).nullable();
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subscription_history');
}
