import type { Knex } from 'knex';
import { createdAt, dateTime, foreignKey } from '../schema-helpers';

/**
 * Read-only links to a conversation (issue 17; not in the seed). `token` is 32 random bytes as
 * base64url (43 characters): the only thing the link carries, unguessable. A link is alive while it is
 * neither revoked (by its owner), taken down (by staff, with who and why) nor past `expires_at`; rows
 * are kept after that so staff can see what was taken down. Gone with its conversation or its owner.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shared_links', (t) => {
    t.increments('id').primary();
    t.string('token', 43).notNullable().unique();
    foreignKey(t, 'conversation_id', 'conversations', 'CASCADE');
    foreignKey(t, 'user_id', 'users', 'CASCADE');
    createdAt(knex, t);
    dateTime(t, 'expires_at').nullable();
    dateTime(t, 'revoked_at').nullable();
    dateTime(t, 'taken_down_at').nullable();
    foreignKey(t, 'taken_down_by', 'users', 'SET NULL');
    t.string('take_down_reason', 500).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shared_links');
}
