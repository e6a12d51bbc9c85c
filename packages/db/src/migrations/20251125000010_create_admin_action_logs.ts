import type { Knex } from 'knex';
import { createdAt, foreignKey } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_action_logs', (t) => {
    t.increments('id');
    // SET NULL on both ends: the audit trail outlives the accounts it mentions.
    foreignKey(t, 'admin_user_id', 'users', 'SET NULL');
    foreignKey(t, 'target_user_id', 'users', 'SET NULL');
    t.string('action_type', 100).notNullable();
    t.text('action_description').notNullable();
    t.text('details').nullable();
    t.string('ip_address', 45).nullable();
    t.text('user_agent').nullable();
    createdAt(knex, t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_action_logs');
}
