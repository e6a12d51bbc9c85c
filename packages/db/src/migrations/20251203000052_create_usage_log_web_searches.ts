import type { Knex } from 'knex';

/**
 * Web tool use per model of a charged comparison (issue 16; what `usage_logs` has no column for): web
 * searches made (each charged `SEARCH_CREDITS_PER_CALL`), pages read, calls that failed, and the credits
 * the searches added to the answer. Only models that used a tool have a row. Deleted with its usage log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_log_web_searches', (t) => {
    t.integer('usage_log_id').notNullable().references('id').inTable('usage_logs').onDelete('CASCADE');
    t.string('model_id', 255).notNullable();
    t.integer('searches').notNullable().defaultTo(0);
    t.integer('pages_read').notNullable().defaultTo(0);
    t.integer('failed_calls').notNullable().defaultTo(0);
    t.decimal('credits', 12, 4).notNullable().defaultTo(0);
    t.primary(['usage_log_id', 'model_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_log_web_searches');
}
