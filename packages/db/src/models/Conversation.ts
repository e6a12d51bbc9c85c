import type { Modifiers, QueryBuilder, RelationMappings } from 'objection';
import { BaseModel, type TimestampColumn } from './BaseModel';
import { ConversationMessage } from './ConversationMessage';
import { ConversationPin } from './ConversationPin';
import { User } from './User';

export class Conversation extends BaseModel {
  static override tableName = 'conversations';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override jsonAttributes = ['models_used'];

  declare id: number;
  declare user_id: number;
  declare title: string | null;
  declare input_data: string;
  declare models_used: string[];
  /** 'comparison' | 'breakout' */
  declare conversation_type: string;
  declare parent_conversation_id: number | null;
  declare breakout_model_id: string | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare user?: User;
  declare messages?: ConversationMessage[];
  declare parent?: Conversation | null;
  declare breakouts?: Conversation[];
  /** Present when the owner pinned it (never evicted by the saved-conversation limit). */
  declare pin?: ConversationPin | null;

  static override modifiers: Modifiers<QueryBuilder<Conversation>> = {
    /** Served by the (user_id, updated_at) index. */
    newestFirst(query) {
      query.orderBy('updated_at', 'desc').orderBy('id', 'desc');
    },
    ofUser(query, userId: number) {
      query.where('user_id', userId);
    },
  };

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'conversations.user_id', to: 'users.id' },
    },
    messages: {
      relation: BaseModel.HasManyRelation,
      modelClass: ConversationMessage,
      join: { from: 'conversations.id', to: 'conversation_messages.conversation_id' },
    },
    parent: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Conversation,
      join: { from: 'conversations.parent_conversation_id', to: 'conversations.id' },
    },
    pin: {
      relation: BaseModel.HasOneRelation,
      modelClass: ConversationPin,
      join: { from: 'conversations.id', to: 'conversation_pins.conversation_id' },
    },
    breakouts: {
      relation: BaseModel.HasManyRelation,
      modelClass: Conversation,
      join: { from: 'conversations.id', to: 'conversations.parent_conversation_id' },
    },
  });
}
