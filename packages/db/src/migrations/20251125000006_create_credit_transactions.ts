import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_transactions', (t) => {
    t.increments('id');
    foreignKey(t, 'user_id', 'users', 'CASCADE');
    t.string('transaction_type', 50).notNullable();
    t.integer('credits_amount').notNullable();
    t.text('description').nullable();
    foreignKey(t, 'related_usage_log_id', 'usage_logs', 'SET NULL');
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('credit_transactions');
}
