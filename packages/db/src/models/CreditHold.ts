import { BaseModel, type TimestampColumn } from './BaseModel';

/** What one model of a run in flight has streamed so far (see CreditHold.progress). */
export interface HoldModelProgress {
  status: 'streaming' | 'done' | 'failed' | 'stopped';
  /** The streamed text; kept only for saved runs (signed-in users), '' for visitors. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  mock: boolean;
  error: string | null;
  ttftMs: number | null;
  durationMs: number | null;
  /** Web tool use so far (issue 16; absent in rows written before it): charged and saved with the answer. */
  web?: HoldWebProgress;
}

/** What an answer's web tools gave it so far (see HoldModelProgress.web). */
export interface HoldWebProgress {
  searches: number;
  sources: Array<{ kind: 'search' | 'page'; url: string; title: string }>;
  calls: Array<{
    tool: 'web_search' | 'fetch_url';
    target: string;
    state: 'done' | 'failed';
    note: string | null;
  }>;
}

export type HoldProgress = Record<string, HoldModelProgress>;

/** Credits held by a comparison in flight, with the process that runs it (see migration 013). */
export class CreditHold extends BaseModel {
  static override tableName = 'credit_holds';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override dateColumns = ['period_reset_at', 'lease_expires_at'];
  static override booleanColumns = ['allow_overage'];
  static override jsonAttributes = ['visitor_keys', 'progress'];

  declare id: string;
  declare user_id: number | null;
  declare conversation_id: number | null;
  declare credits: number;
  declare period_reset_at: Date | null;
  declare pool_size: number;
  declare allow_overage: boolean;
  /** Credits of this hold admitted beyond the pool, counted in `overage_settings.credits_used`. */
  declare overage_credits: number;
  declare visitor_day: string | null;
  declare visitor_keys: string[];
  declare ip_address: string;
  declare browser_fingerprint: string | null;
  declare input_length: number;
  declare progress: HoldProgress;
  declare owner: string;
  declare lease_expires_at: Date;
  declare created_at: Date;
  declare updated_at: Date;
}
