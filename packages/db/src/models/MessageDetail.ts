import { BaseModel, type TimestampColumn } from './BaseModel';

/** How an assistant message ended, with what the seed's row has no column for (see migration 014). */
export class MessageDetail extends BaseModel {
  static override tableName = 'message_details';
  static override idColumn = 'message_id';
  static override timestampColumns: readonly TimestampColumn[] = [];
  static override decimalColumns = { credits: 6, cost_usd: 6 };

  declare message_id: number;
  /** 'done' | 'failed' | 'stopped' */
  declare status: string;
  declare error: string | null;
  declare ttft_ms: number | null;
  declare credits: number | null;
  declare cost_usd: number | null;
}
