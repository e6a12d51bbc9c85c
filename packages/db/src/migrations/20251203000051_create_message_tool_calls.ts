import type { Knex } from 'knex';

/**
 * The tool calls a model made while answering (issue 16; not in the seed): `web_search` with its query or
 * `fetch_url` with its URL, in order, whether it gave the model something (`done`) or a readable error
 * (`failed`, with the `note` its card showed). Deleted with its message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_tool_calls', (t) => {
    t.integer('message_id')
      .notNullable()
      .references('id')
      .inTable('conversation_messages')
      .onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('tool', 20).notNullable();
    t.string('target', 2048).notNullable();
    t.string('state', 10).notNullable();
    t.text('note').nullable();
    t.primary(['message_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_tool_calls');
}
