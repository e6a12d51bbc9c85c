import type { Knex } from 'knex';
import * as createUsers from './migrations/20251125000001_create_users';
import * as createUserPreferences from './migrations/20251125000002_create_user_preferences';
import * as createConversations from './migrations/20251125000003_create_conversations';
import * as createConversationMessages from './migrations/20251125000004_create_conversation_messages';
import * as createUsageLogs from './migrations/20251125000005_create_usage_logs';
import * as createCreditTransactions from './migrations/20251125000006_create_credit_transactions';
import * as createUsageLogMonthlyAggregates from './migrations/20251125000007_create_usage_log_monthly_aggregates';
import * as createSubscriptionHistory from './migrations/20251125000008_create_subscription_history';
import * as createPaymentTransactions from './migrations/20251125000009_create_payment_transactions';
import * as createAdminActionLogs from './migrations/20251125000010_create_admin_action_logs';
import * as createAppSettings from './migrations/20251125000011_create_app_settings';
import * as createSessions from './migrations/20251125000012_create_sessions';
import * as createCreditHolds from './migrations/20251201000013_create_credit_holds';
import * as createMessageDetails from './migrations/20251201000014_create_message_details';
import * as createUsageLogModels from './migrations/20251201000015_create_usage_log_models';
import * as createJobRuns from './migrations/20251201000016_create_job_runs';
import * as createModelAvailability from './migrations/20251201000020_create_model_availability';
import * as createStripeEvents from './migrations/20251201000030_create_stripe_events';
import * as createBillingSubscriptions from './migrations/20251201000031_create_billing_subscriptions';
import * as createOverageSettings from './migrations/20251201000032_create_overage_settings';
import * as createOverageCharges from './migrations/20251201000033_create_overage_charges';
import * as createConversationPins from './migrations/20251202000040_create_conversation_pins';
import * as createMessageSources from './migrations/20251203000050_create_message_sources';
import * as createMessageToolCalls from './migrations/20251203000051_create_message_tool_calls';
import * as createUsageLogWebSearches from './migrations/20251203000052_create_usage_log_web_searches';
import * as createSharedLinks from './migrations/20251203000060_create_shared_links';
import * as createBlindRuns from './migrations/20251203000070_create_blind_runs';
import * as createArenaVotes from './migrations/20251203000071_create_arena_votes';

/**
 * The migrations, in order, imported statically. Knex's own directory loader imports files with Node's
 * native `import()`, which cannot load `.ts` under vitest and finds nothing once the API is bundled; a
 * static list works under tsx, vitest and a bundler alike. A test checks it against src/migrations.
 *
 * Names carry no extension, so knex_migrations stays valid whether the code runs as .ts or compiled .js.
 */
export const MIGRATIONS: ReadonlyArray<{ name: string; migration: Knex.Migration }> = [
  { name: '20251125000001_create_users', migration: createUsers },
  { name: '20251125000002_create_user_preferences', migration: createUserPreferences },
  { name: '20251125000003_create_conversations', migration: createConversations },
  { name: '20251125000004_create_conversation_messages', migration: createConversationMessages },
  { name: '20251125000005_create_usage_logs', migration: createUsageLogs },
  { name: '20251125000006_create_credit_transactions', migration: createCreditTransactions },
  { name: '20251125000007_create_usage_log_monthly_aggregates', migration: createUsageLogMonthlyAggregates },
  { name: '20251125000008_create_subscription_history', migration: createSubscriptionHistory },
  { name: '20251125000009_create_payment_transactions', migration: createPaymentTransactions },
  { name: '20251125000010_create_admin_action_logs', migration: createAdminActionLogs },
  { name: '20251125000011_create_app_settings', migration: createAppSettings },
  { name: '20251125000012_create_sessions', migration: createSessions },
  { name: '20251201000013_create_credit_holds', migration: createCreditHolds },
  { name: '20251201000014_create_message_details', migration: createMessageDetails },
  { name: '20251201000015_create_usage_log_models', migration: createUsageLogModels },
  { name: '20251201000016_create_job_runs', migration: createJobRuns },
  { name: '20251201000020_create_model_availability', migration: createModelAvailability },
  { name: '20251201000030_create_stripe_events', migration: createStripeEvents },
  { name: '20251201000031_create_billing_subscriptions', migration: createBillingSubscriptions },
  { name: '20251201000032_create_overage_settings', migration: createOverageSettings },
  { name: '20251201000033_create_overage_charges', migration: createOverageCharges },
  { name: '20251202000040_create_conversation_pins', migration: createConversationPins },
  { name: '20251203000050_create_message_sources', migration: createMessageSources },
  { name: '20251203000051_create_message_tool_calls', migration: createMessageToolCalls },
  { name: '20251203000052_create_usage_log_web_searches', migration: createUsageLogWebSearches },
  { name: '20251203000060_create_shared_links', migration: createSharedLinks },
  { name: '20251203000070_create_blind_runs', migration: createBlindRuns },
  { name: '20251203000071_create_arena_votes', migration: createArenaVotes },
];

type MigrationEntry = (typeof MIGRATIONS)[number];

export const migrationSource: Knex.MigrationSource<MigrationEntry> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (entry) => entry.name,
  getMigration: async (entry) => entry.migration,
};

export const MIGRATIONS_TABLE = 'knex_migrations';
