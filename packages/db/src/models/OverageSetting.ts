import { BaseModel, type TimestampColumn } from './BaseModel';

/** Opt-in overage for the current billing period (migrations 030–033); reset to off at every renewal. */
export class OverageSetting extends BaseModel {
  static override tableName = 'overage_settings';
  static override idColumn = 'user_id';
  static override timestampColumns: readonly TimestampColumn[] = ['updated_at'];
  static override booleanColumns = ['enabled'];
  static override decimalColumns = { cap_usd: 2 };

  declare user_id: number;
  declare enabled: boolean;
  declare cap_usd: number;
  /** The cap in whole overage credits (floor(cap_usd / price per credit)): what admission compares. */
  declare cap_credits: number;
  /** Overage credits taken this period: held by runs in flight plus charged. */
  declare credits_used: number;
  declare updated_at: Date;
}
