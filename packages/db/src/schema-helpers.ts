import type { Knex } from 'knex';

/**
 * Helpers shared by the migrations. They live outside src/migrations because every file in that
 * directory is treated as a migration.
 */

export type Dialect = 'sqlite' | 'pg';

export function dialectOf(knex: Knex): Dialect {
  return knex.client.dialect === 'postgresql' ? 'pg' : 'sqlite';
}

/**
 * Default for created_at / updated_at. SQLite has no timestamp type, so rows written by raw SQL must get
 * the same ISO-8601 UTC text the models write (`2025-11-25T14:03:07.123Z`); that keeps the column
 * lexicographically comparable whoever inserted the row.
 */
export function nowDefault(knex: Knex): Knex.Raw | ReturnType<Knex['fn']['now']> {
  return dialectOf(knex) === 'pg' ? knex.fn.now() : knex.raw("(strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
}

/** A DateTime column of the seed: timestamptz in PostgreSQL, ISO text in SQLite. */
export function dateTime(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.timestamp(name, { useTz: true });
}

export function createdAt(knex: Knex, table: Knex.CreateTableBuilder): void {
  dateTime(table, 'created_at').notNullable().defaultTo(nowDefault(knex));
}

export function timestamps(knex: Knex, table: Knex.CreateTableBuilder): void {
  createdAt(knex, table);
  dateTime(table, 'updated_at').notNullable().defaultTo(nowDefault(knex));
}

export type OnDelete = 'CASCADE' | 'SET NULL';

/**
 * An integer foreign key to `<target>.id` with its ON DELETE rule, indexed unless an index whose leading
 * column is this one is created elsewhere (`indexed: false`). SET NULL keys are nullable by necessity.
 */
export function foreignKey(
  table: Knex.CreateTableBuilder,
  column: string,
  target: string,
  onDelete: OnDelete,
  options: { indexed?: boolean } = {},
): Knex.ColumnBuilder {
  const builder = table.integer(column);
  if (onDelete === 'CASCADE') builder.notNullable();
  else builder.nullable();
  builder.references('id').inTable(target).onDelete(onDelete);
  if (options.indexed ?? true) builder.index();
  return builder;
}
