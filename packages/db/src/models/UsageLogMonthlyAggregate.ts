import { BaseModel, type TimestampColumn } from './BaseModel';

// Matches the migration's decimal(14, 4) for the seed's bare DECIMAL.
const SCALE = 4;

export class UsageLogMonthlyAggregate extends BaseModel {
  static override tableName = 'usage_log_monthly_aggregates';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override decimalColumns = {
    avg_input_tokens: SCALE,
    avg_output_tokens: SCALE,
    avg_output_ratio: SCALE,
    total_credits_used: SCALE,
    avg_credits_per_comparison: SCALE,
    total_actual_cost: SCALE,
    total_estimated_cost: SCALE,
  };
  static override jsonAttributes = ['model_breakdown'];

  declare id: number;
  declare year: number;
  /** 1–12 */
  declare month: number;
  declare total_comparisons: number;
  declare total_models_requested: number;
  declare total_models_successful: number;
  declare total_models_failed: number;
  declare total_input_tokens: number;
  declare total_output_tokens: number;
  declare total_effective_tokens: number;
  declare avg_input_tokens: number;
  declare avg_output_tokens: number;
  declare avg_output_ratio: number;
  declare total_credits_used: number;
  declare avg_credits_per_comparison: number;
  declare total_actual_cost: number;
  declare total_estimated_cost: number;
  declare model_breakdown: Record<string, unknown> | null;
  declare created_at: Date;
  declare updated_at: Date;
}
