import { BaseModel, type TimestampColumn } from './BaseModel';

/** One run of a maintenance job (see migration 016). */
export class JobRun extends BaseModel {
  static override tableName = 'job_runs';
  static override timestampColumns: readonly TimestampColumn[] = [];
  static override dateColumns = ['started_at', 'finished_at'];
  static override booleanColumns = ['dry_run'];
  static override jsonAttributes = ['counts'];

  declare id: number;
  declare job_name: string;
  declare tick: string;
  /** 'schedule' | 'manual' */
  declare trigger: string;
  declare owner: string;
  declare started_at: Date;
  declare finished_at: Date | null;
  declare took_ms: number | null;
  declare dry_run: boolean;
  declare counts: Record<string, number> | null;
  declare error: string | null;
}
