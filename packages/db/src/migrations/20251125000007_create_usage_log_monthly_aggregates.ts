import type { Knex } from 'knex';
import { timestamps } from '../schema-helpers';

// The seed's bare DECIMAL: 14 digits, 4 after the point (sums of DECIMAL(10,4) values fit).
const PRECISION = 14;
const SCALE = 4;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_log_monthly_aggregates', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.integer('month').notNullable();
    t.integer('total_comparisons').notNullable().defaultTo(0);
    t.integer('total_models_requested').notNullable().defaultTo(0);
    t.integer('total_models_successful').notNullable().defaultTo(0);
    t.integer('total_models_failed').notNullable().defaultTo(0);
    t.bigInteger('total_input_tokens').notNullable().defaultTo(0);
    t.bigInteger('total_output_tokens').notNullable().defaultTo(0);
    t.bigInteger('total_effective_tokens').notNullable().defaultTo(0);
    t.decimal('avg_input_tokens', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('avg_output_tokens', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('avg_output_ratio', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('total_credits_used', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('avg_credits_per_comparison', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('total_actual_cost', PRECISION, SCALE).notNullable().defaultTo(0);
    t.decimal('total_estimated_cost', PRECISION, SCALE).notNullable().defaultTo(0);
    t.text('model_breakdown').nullable();
    timestamps(knex, t);
    t.unique(['year', 'month'], { indexName: 'usage_log_monthly_aggregates_year_month_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_log_monthly_aggregates');
}
