import type { Knex } from 'knex';
import { foreignKey, timestamps } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_preferences', (t) => {
    t.increments('id');
    // The unique constraint is the index.
    foreignKey(t, 'user_id', 'users', 'CASCADE', { indexed: false }).unique();
    t.text('preferred_models').notNullable().defaultTo('[]');
    t.string('theme', 50).notNullable().defaultTo('light');
    t.boolean('email_notifications').notNullable().defaultTo(true);
    t.boolean('usage_alerts').notNullable().defaultTo(true);
    t.string('timezone', 50).nullable();
    timestamps(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_preferences');
}
