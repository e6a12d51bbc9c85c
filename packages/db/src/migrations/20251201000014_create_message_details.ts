import type { Knex } from 'knex';

/**
 * What the seed's `conversation_messages` has no column for, one row per assistant message: how the
 * answer ended (`done` / `failed` / `stopped`), the failure reason even when some text came first, time to
 * first token, the credits it cost and the provider's reported cost. Deleted with its message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_details', (t) => {
    t.integer('message_id').primary().references('id').inTable('conversation_messages').onDelete('CASCADE');
    t.string('status', 20).notNullable();
    t.text('error').nullable();
    t.integer('ttft_ms').nullable();
    t.decimal('credits', 12, 6).nullable();
    t.decimal('cost_usd', 12, 6).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_details');
}
