import { BaseModel, type TimestampColumn } from './BaseModel';

/** One model's web tool use in a charged comparison (migration 052). */
export class UsageLogWebSearch extends BaseModel {
  static override tableName = 'usage_log_web_searches';
  static override idColumn = ['usage_log_id', 'model_id'];
  static override timestampColumns: readonly TimestampColumn[] = [];
  static override decimalColumns = { credits: 4 };

  declare usage_log_id: number;
  declare model_id: string;
  declare searches: number;
  declare pages_read: number;
  declare failed_calls: number;
  /** Credits the searches added to the answer (`SEARCH_CREDITS_PER_CALL` each). */
  declare credits: number;
}
