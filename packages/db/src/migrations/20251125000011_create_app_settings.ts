import type { Knex } from 'knex';
import { timestamps } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('app_settings', (t) => {
    // A single row: the id is always 1, and the CHECK keeps it that way.
    t.integer('id').primary().notNullable().defaultTo(1);
    t.boolean('anonymous_mock_mode_enabled').notNullable().defaultTo(false);
    t.string('active_search_provider', 50).nullable();
    t.text('search_provider_config').nullable();
    t.boolean('web_search_enabled').notNullable().defaultTo(false);
    timestamps(knex, t);
    t.check('?? = 1', ['id'], 'app_settings_single_row');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('app_settings');
}
