import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { UsageLog } from './UsageLog';
import { User } from './User';

export class CreditTransaction extends BaseModel {
  static override tableName = 'credit_transactions';

  declare id: number;
  declare user_id: number;
  /** 'allocation' | 'usage' | 'purchase' | 'refund' | 'expiration' */
  declare transaction_type: string;
  /** Positive or negative. */
  declare credits_amount: number;
  declare description: string | null;
  declare related_usage_log_id: number | null;
  declare created_at: Date;

  declare user?: User;
  declare usageLog?: UsageLog | null;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'credit_transactions.user_id', to: 'users.id' },
    },
    usageLog: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: UsageLog,
      join: { from: 'credit_transactions.related_usage_log_id', to: 'usage_logs.id' },
    },
  });
}
