import type { Knex } from 'knex';
import { foreignKey, timestamps } from '../schema-helpers';

/**
 * Staff overrides of a registry model's availability (not in the seed's schema; issue 10). A model
 * without a row is available; a row with `is_available = false` makes it refused at admission and shown
 * as unavailable (with `reason`) in models.list. The seed's tables are left as they are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('model_availability', (t) => {
    t.increments('id');
    t.string('model_id', 255).notNullable().unique();
    t.boolean('is_available').notNullable().defaultTo(true);
    t.text('reason').nullable();
    foreignKey(t, 'updated_by_user_id', 'users', 'SET NULL');
    timestamps(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('model_availability');
}
