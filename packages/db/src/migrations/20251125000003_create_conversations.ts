import type { Knex } from 'knex';
import { foreignKey, timestamps } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversations', (t) => {
    t.increments('id');
    // Indexed by the (user_id, updated_at) index below, which serves "this user's history, newest first".
    foreignKey(t, 'user_id', 'users', 'CASCADE', { indexed: false });
    t.string('title', 255).nullable();
    t.text('input_data').notNullable();
    t.text('models_used').notNullable().defaultTo('[]');
    t.string('conversation_type', 20).notNullable().defaultTo('comparison');
    foreignKey(t, 'parent_conversation_id', 'conversations', 'SET NULL');
    t.string('breakout_model_id', 255).nullable();
    timestamps(knex, t);
    t.index(['user_id', 'updated_at'], 'conversations_user_id_updated_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversations');
}
