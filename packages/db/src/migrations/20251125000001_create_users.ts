import type { Knex } from 'knex';
import { dateTime, timestamps } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 255).notNullable().unique();
    t.string('password_hash', 255).notNullable();
    t.boolean('is_verified').notNullable().defaultTo(false);
    t.boolean('is_active').notNullable().defaultTo(true);
    t.string('verification_token', 255).nullable().index();
    dateTime(t, 'verification_token_expires').nullable();
    t.string('reset_token', 255).nullable().index();
    dateTime(t, 'reset_token_expires').nullable();
    t.string('subscription_tier', 50).notNullable().defaultTo('free');
    t.string('subscription_status', 50).notNullable().defaultTo('active');
    t.string('subscription_period', 20).notNullable().defaultTo('monthly');
    dateTime(t, 'subscription_start_date').nullable();
    dateTime(t, 'subscription_end_date').nullable();
    t.string('role', 50).notNullable().defaultTo('user');
    t.boolean('is_admin').notNullable().defaultTo(false);
    t.text('admin_permissions').nullable();
    t.boolean('mock_mode_enabled').notNullable().defaultTo(false);
    t.string('stripe_customer_id', 255).nullable().index();
    t.integer('monthly_credits_allocated').notNullable().defaultTo(0);
    t.integer('credits_used_this_period').notNullable().defaultTo(0);
    t.integer('total_credits_used').notNullable().defaultTo(0);
    dateTime(t, 'billing_period_start').nullable();
    dateTime(t, 'billing_period_end').nullable();
    dateTime(t, 'credits_reset_at').nullable();
    t.integer('monthly_overage_count').notNullable().defaultTo(0);
    t.date('overage_reset_date').nullable();
    dateTime(t, 'last_access').nullable();
    timestamps(knex, t);
  });
  // Emails are stored lower-cased by the model; this index also holds for rows written by raw SQL.
  await knex.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
