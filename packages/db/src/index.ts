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
  type CreditCounter,
  lockedCreditCounter,
  lockUserRow,
  type PoolReset,
  type Queryable,
  recordPoolResize,
  resetCreditPeriodIfDue,
  resetOverage,
  rowLock,
  type Transaction,
} from './credit-counters';
export {
  abandonedCreditHolds,
  adjustVisitorPools,
  type ClaimedHold,
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
export { type Sql, type SqlValue, sqlOn } from './sql';
export { SqliteDriverError } from './sqlite-client';
