import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { User } from './User';

export class PaymentTransaction extends BaseModel {
  static override tableName = 'payment_transactions';
  static override decimalColumns = { amount: 2 };

  declare id: number;
  declare user_id: number;
  declare stripe_payment_intent_id: string | null;
  declare amount: number;
  /** ISO 4217, 'USD' by default. */
  declare currency: string;
  /** 'pending' | 'succeeded' | 'failed' | 'refunded' */
  declare status: string;
  declare description: string | null;
  declare created_at: Date;

  declare user?: User;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'payment_transactions.user_id', to: 'users.id' },
    },
  });
}
