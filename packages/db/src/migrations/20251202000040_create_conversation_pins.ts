import type { Knex } from 'knex';
import { createdAt } from '../schema-helpers';

/**
 * Conversations their owner pinned (not in the seed's schema; issue 15). A pinned conversation is never
 * deleted to make room under the tier's saved-conversation limit. One row per pinned conversation, gone
 * with it (CASCADE); no row = not pinned. A table rather than a column, so the seed's `conversations`
 * keeps exactly its contract columns.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversation_pins', (t) => {
    t.integer('conversation_id').primary().references('id').inTable('conversations').onDelete('CASCADE');
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversation_pins');
}
