import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { User } from './User';

export class SubscriptionHistory extends BaseModel {
  static override tableName = 'subscription_history';
  static override decimalColumns = { amount_paid: 2 };

  declare id: number;
  declare user_id: number;
  declare previous_tier: string | null;
  declare new_tier: string;
  /** 'monthly' | 'yearly' */
  declare period: string | null;
  declare amount_paid: number | null;
  declare stripe_payment_id: string | null;
  /** 'upgrade' | 'downgrade' | 'renewal' | 'cancellation' | 'initial' */
  declare reason: string | null;
  declare created_at: Date;

  declare user?: User;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'subscription_history.user_id', to: 'users.id' },
    },
  });
}
