import { BaseModel, type TimestampColumn } from './BaseModel';

/** A blind comparison: the labels its owner sees until their vote reveals the models (see migration 070). */
export class BlindRun extends BaseModel {
  static override tableName = 'blind_runs';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at'];
  static override dateColumns = ['finished_at', 'revealed_at'];
  static override jsonAttributes = ['labels'];

  declare id: string;
  declare user_id: number | null;
  declare conversation_id: number | null;
  declare ip_address: string;
  declare browser_fingerprint: string | null;
  declare owner_digest: string;
  /** Label ("Model A") → model id. */
  declare labels: Record<string, string>;
  declare usage_log_id: number | null;
  declare created_at: Date;
  declare finished_at: Date | null;
  declare revealed_at: Date | null;
}
