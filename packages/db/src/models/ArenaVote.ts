import { BaseModel, type TimestampColumn } from './BaseModel';

/** The owner's vote on a blind run (one per run; see migration 071). */
export class ArenaVote extends BaseModel {
  static override tableName = 'arena_votes';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at'];
  static override booleanColumns = ['is_anonymous'];
  static override jsonAttributes = ['ranking'];

  declare id: number;
  declare blind_run_id: string;
  declare user_id: number | null;
  declare is_anonymous: boolean;
  declare outcome: 'best' | 'ranking' | 'all_good' | 'all_bad';
  /** Model ids, best first (see migration 071 for ties). */
  declare ranking: string[];
  declare created_at: Date;
}
