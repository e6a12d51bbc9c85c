import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { User } from './User';

/** A signed-in browser or client. The token itself is never stored, only its SHA-256 hex. */
export class Session extends BaseModel {
  static override tableName = 'sessions';
  static override dateColumns = ['last_seen_at', 'expires_at'];

  declare id: number;
  declare user_id: number;
  declare token_hash: string;
  declare created_at: Date;
  /** Refreshed at most once an hour, together with the sliding `expires_at`. */
  declare last_seen_at: Date;
  declare expires_at: Date;
  declare ip_address: string | null;
  declare user_agent: string | null;

  declare user?: User;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'sessions.user_id', to: 'users.id' },
    },
  });
}
