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
} from './client';
export {
  anonymousCreditsSince,
  applyCharge,
  holdCredits,
  lockedCreditCounter,
  lockUserRow,
  type Queryable,
  releaseCredits,
  resetCreditPeriodIfDue,
  type Transaction,
} from './credit-counters';
export { MIGRATIONS } from './migration-source';
export * from './models';
export { SqliteDriverError } from './sqlite-client';
