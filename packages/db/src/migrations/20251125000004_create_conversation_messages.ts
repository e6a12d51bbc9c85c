import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversation_messages', (t) => {
    t.increments('id');
    foreignKey(t, 'conversation_id', 'conversations', 'CASCADE');
    t.string('model_id', 255).nullable();
    t.string('role', 20).notNullable();
    t.text('content').notNullable();
    t.integer('input_tokens').nullable();
    t.integer('output_tokens').nullable();
    t.boolean('success').notNullable().defaultTo(true);
    t.integer('processing_time_ms').nullable();
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversation_messages');
}
