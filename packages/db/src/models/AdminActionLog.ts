import type { Modifiers, QueryBuilder, RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { User } from './User';

export class AdminActionLog extends BaseModel {
  static override tableName = 'admin_action_logs';
  static override jsonAttributes = ['details'];

  declare id: number;
  /** Null once the acting admin's account is deleted; the entry stays. */
  declare admin_user_id: number | null;
  declare target_user_id: number | null;
  declare action_type: string;
  declare action_description: string;
  declare details: Record<string, unknown> | null;
  declare ip_address: string | null;
  declare user_agent: string | null;
  declare created_at: Date;

  declare adminUser?: User | null;
  declare targetUser?: User | null;

  static override modifiers: Modifiers<QueryBuilder<AdminActionLog>> = {
    newestFirst(query) {
      query.orderBy('created_at', 'desc').orderBy('id', 'desc');
    },
  };

  static override relationMappings = (): RelationMappings => ({
    adminUser: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'admin_action_logs.admin_user_id', to: 'users.id' },
    },
    targetUser: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'admin_action_logs.target_user_id', to: 'users.id' },
    },
  });
}
