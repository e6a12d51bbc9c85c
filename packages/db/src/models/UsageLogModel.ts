import { BaseModel, type TimestampColumn } from './BaseModel';

/** One model's part of a charged comparison (see migration 015). */
export class UsageLogModel extends BaseModel {
  static override tableName = 'usage_log_models';
  static override idColumn = ['usage_log_id', 'model_id'];
  static override timestampColumns: readonly TimestampColumn[] = [];
  static override decimalColumns = { credits: 4, actual_cost: 6 };

  declare usage_log_id: number;
  declare model_id: string;
  /** 'done' | 'failed' | 'stopped' */
  declare status: string;
  declare input_tokens: number;
  declare output_tokens: number;
  /** This model's share of the comparison's charge; the shares add up to `usage_logs.credits_used`. */
  declare credits: number;
  declare actual_cost: number;
}
