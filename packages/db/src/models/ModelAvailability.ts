import { BaseModel, type TimestampColumn } from './BaseModel';

/** A staff override of one registry model's availability; no row = available. */
export class ModelAvailability extends BaseModel {
  static override tableName = 'model_availability';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override booleanColumns = ['is_available'];

  declare id: number;
  declare model_id: string;
  declare is_available: boolean;
  declare reason: string | null;
  declare updated_by_user_id: number | null;
  declare created_at: Date;
  declare updated_at: Date;
}
