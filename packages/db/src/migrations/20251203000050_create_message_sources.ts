import type { Knex } from 'knex';

/**
 * The pages a model was given by web search or `fetch_url` while answering (issue 16; not in the seed),
 * one row per source in the order the model got them: `position` + 1 is the number the answer cites
 * (`[1]`, `[2]` …). `kind` says where it came from (`search` result or a `page` the model read). Deleted
 * with its message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_sources', (t) => {
    t.integer('message_id')
      .notNullable()
      .references('id')
      .inTable('conversation_messages')
      .onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('kind', 20).notNullable();
    t.string('url', 2048).notNullable();
    t.string('title', 500).notNullable();
    t.primary(['message_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_sources');
}
