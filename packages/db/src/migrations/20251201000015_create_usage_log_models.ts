import type { Knex } from 'knex';

/**
 * One row per model of a charged comparison (what `usage_logs` keeps only as counts): how its answer
 * ended, its tokens, and its share of the comparison's charge. The shares of one comparison add up to
 * its `credits_used` exactly, so per-model figures (staff analytics, the monthly aggregates'
 * `model_breakdown`) add up to the totals. Deleted with its usage log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_log_models', (t) => {
    t.integer('usage_log_id').notNullable().references('id').inTable('usage_logs').onDelete('CASCADE');
    t.string('model_id', 255).notNullable();
    t.string('status', 20).notNullable();
    t.integer('input_tokens').notNullable().defaultTo(0);
    t.integer('output_tokens').notNullable().defaultTo(0);
    t.decimal('credits', 12, 4).notNullable().defaultTo(0);
    t.decimal('actual_cost', 12, 6).notNullable().defaultTo(0);
    t.primary(['usage_log_id', 'model_id']);
    t.index(['model_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_log_models');
}
