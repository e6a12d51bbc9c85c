import type { Knex } from 'knex';
import { createdAt, dateTime, foreignKey } from '../schema-helpers';

/**
 * Server-side sign-in sessions (not in the seed's schema; issue 3). The cookie or bearer token is an
 * opaque random string; only its SHA-256 hex is stored, so a leaked table cannot be replayed. Deleting a
 * row ends that session at once; deleting the user deletes them all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.increments('id');
    foreignKey(t, 'user_id', 'users', 'CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    createdAt(knex, t);
    dateTime(t, 'last_seen_at').notNullable();
    // Indexed so expired rows can be swept without a table scan.
    dateTime(t, 'expires_at').notNullable().index();
    t.string('ip_address', 45).nullable();
    t.text('user_agent').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
