export { ensureAppSettings } from './app-settings';
export {
  type CreateDbOptions,
  connectDb,
  createDb,
  DatabaseConfigError,
  type Db,
  DEFAULT_DATABASE_URL,
  type Dialect,
  type MigrationList,
  redactDatabaseUrl,
  schemaScopedUrl,
} from './client';
export {
  applyCharge,
  lockedCreditCounter,
  lockUserRow,
  type PoolReset,
  type Queryable,
  recordPoolResize,
  resetCreditPeriodIfDue,
  resetOverage,
  type Transaction,
} from './credit-counters';
export {
  abandonedCreditHolds,
  adjustVisitorPools,
  claimCreditHold,
  creditHoldOwners,
  lockedVisitorPoolUsed,
  type NewCreditHold,
  placeCreditHold,
  releaseCreditHold,
  renewHoldLeases,
  saveHoldProgress,
  setHoldConversation,
  visitorPoolUsed,
} from './credit-holds';
export { MIGRATIONS } from './migration-source';
export * from './models';
export { SqliteDriverError } from './sqlite-client';
