import type { Modifiers, QueryBuilder, RelationMappings } from 'objection';
import { BaseModel, type TimestampColumn } from './BaseModel';
import { Conversation } from './Conversation';
import { User } from './User';

/** A read-only link `/s/<token>` to a conversation (migration 060). */
export class SharedLink extends BaseModel {
  static override tableName = 'shared_links';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at'];
  static override dateColumns: readonly string[] = ['expires_at', 'revoked_at', 'taken_down_at'];

  declare id: number;
  declare token: string;
  declare conversation_id: number;
  declare user_id: number;
  declare created_at: Date;
  declare expires_at: Date | null;
  declare revoked_at: Date | null;
  declare taken_down_at: Date | null;
  declare taken_down_by: number | null;
  declare take_down_reason: string | null;

  declare conversation?: Conversation;
  declare owner?: User;

  static override modifiers: Modifiers<QueryBuilder<SharedLink>> = {
    /** Links that still open at `at`: not revoked, not taken down, not expired. */
    alive(query, at: Date) {
      query
        .whereNull('shared_links.revoked_at')
        .whereNull('shared_links.taken_down_at')
        .where((q) =>
          q.whereNull('shared_links.expires_at').orWhere('shared_links.expires_at', '>', at.toISOString()),
        );
    },
  };

  static override relationMappings = (): RelationMappings => ({
    conversation: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Conversation,
      join: { from: 'shared_links.conversation_id', to: 'conversations.id' },
    },
    owner: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'shared_links.user_id', to: 'users.id' },
    },
  });
}
