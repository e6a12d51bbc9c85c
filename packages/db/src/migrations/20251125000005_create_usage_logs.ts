import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_logs', (t) => {
    t.increments('id');
    foreignKey(t, 'user_id', 'users', 'SET NULL');
    t.string('ip_address', 45).nullable();
    t.string('browser_fingerprint', 64).nullable();
    t.text('models_used').notNullable().defaultTo('[]');
    t.integer('input_length').notNullable().defaultTo(0);
    t.integer('models_requested').notNullable().defaultTo(0);
    t.integer('models_successful').notNullable().defaultTo(0);
    t.integer('models_failed').notNullable().defaultTo(0);
    t.integer('processing_time_ms').nullable();
    t.integer('input_tokens').nullable();
    t.integer('output_tokens').nullable();
    t.integer('total_tokens').nullable();
    t.integer('effective_tokens').nullable();
    t.decimal('credits_used', 10, 4).nullable();
    t.decimal('actual_cost', 10, 4).nullable();
    t.decimal('estimated_cost', 10, 4).nullable();
    t.boolean('is_overage').notNullable().defaultTo(false);
    t.decimal('overage_charge', 10, 4).notNullable().defaultTo(0);
    createdAt(knex, t);
    t.index(['created_at'], 'usage_logs_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_logs');
}
