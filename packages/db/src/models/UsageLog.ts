import type { Modifiers, QueryBuilder, RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { CreditTransaction } from './CreditTransaction';
import { User } from './User';

export class UsageLog extends BaseModel {
  static override tableName = 'usage_logs';
  static override booleanColumns = ['is_overage'];
  static override decimalColumns = { credits_used: 4, actual_cost: 4, estimated_cost: 4, overage_charge: 4 };
  static override jsonAttributes = ['models_used'];

  declare id: number;
  /** Null for anonymous use, and after the user is deleted. */
  declare user_id: number | null;
  declare ip_address: string | null;
  declare browser_fingerprint: string | null;
  declare models_used: string[];
  declare input_length: number;
  declare models_requested: number;
  declare models_successful: number;
  declare models_failed: number;
  declare processing_time_ms: number | null;
  declare input_tokens: number | null;
  declare output_tokens: number | null;
  declare total_tokens: number | null;
  declare effective_tokens: number | null;
  declare credits_used: number | null;
  declare actual_cost: number | null;
  declare estimated_cost: number | null;
  declare is_overage: boolean;
  declare overage_charge: number;
  declare created_at: Date;

  declare user?: User | null;
  declare creditTransactions?: CreditTransaction[];

  static override modifiers: Modifiers<QueryBuilder<UsageLog>> = {
    /** Rows created at or after `since` (served by the created_at index). */
    createdSince(query, since: Date) {
      query.where('created_at', '>=', since.toISOString());
    },
  };

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'usage_logs.user_id', to: 'users.id' },
    },
    creditTransactions: {
      relation: BaseModel.HasManyRelation,
      modelClass: CreditTransaction,
      join: { from: 'usage_logs.id', to: 'credit_transactions.related_usage_log_id' },
    },
  });
}
