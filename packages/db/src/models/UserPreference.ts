import type { RelationMappings } from 'objection';
import { BaseModel, type TimestampColumn } from './BaseModel';
import { User } from './User';

export class UserPreference extends BaseModel {
  static override tableName = 'user_preferences';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override booleanColumns = ['email_notifications', 'usage_alerts'];
  static override jsonAttributes = ['preferred_models'];

  declare id: number;
  declare user_id: number;
  declare preferred_models: string[];
  declare theme: string;
  declare email_notifications: boolean;
  declare usage_alerts: boolean;
  /** IANA zone, e.g. 'America/Chicago'. */
  declare timezone: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare user?: User;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'user_preferences.user_id', to: 'users.id' },
    },
  });
}
