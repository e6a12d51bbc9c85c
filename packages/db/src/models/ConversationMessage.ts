import type { Modifiers, QueryBuilder, RelationMappings } from 'objection';
import { BaseModel } from './BaseModel';
import { Conversation } from './Conversation';
import { MessageDetail } from './MessageDetail';
import { MessageSource } from './MessageSource';
import { MessageToolCall } from './MessageToolCall';

export class ConversationMessage extends BaseModel {
  static override tableName = 'conversation_messages';
  static override booleanColumns = ['success'];

  declare id: number;
  declare conversation_id: number;
  /** Null for the user's own messages. */
  declare model_id: string | null;
  /** 'user' | 'assistant' */
  declare role: string;
  declare content: string;
  declare input_tokens: number | null;
  declare output_tokens: number | null;
  declare success: boolean;
  declare processing_time_ms: number | null;
  declare created_at: Date;

  declare conversation?: Conversation;
  /** How an assistant answer ended (absent for user turns and for answers saved before migration 014). */
  declare detail?: MessageDetail | null;
  /** Pages a web-searching answer was given, by position (migration 050). */
  declare sources?: MessageSource[];
  /** Web tool calls the answer made, by position (migration 051). */
  declare toolCalls?: MessageToolCall[];

  static override modifiers: Modifiers<QueryBuilder<ConversationMessage>> = {
    chronological(query) {
      query.orderBy('created_at').orderBy('id');
    },
  };

  static override relationMappings = (): RelationMappings => ({
    conversation: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Conversation,
      join: { from: 'conversation_messages.conversation_id', to: 'conversations.id' },
    },
    detail: {
      relation: BaseModel.HasOneRelation,
      modelClass: MessageDetail,
      join: { from: 'conversation_messages.id', to: 'message_details.message_id' },
    },
    sources: {
      relation: BaseModel.HasManyRelation,
      modelClass: MessageSource,
      join: { from: 'conversation_messages.id', to: 'message_sources.message_id' },
    },
    toolCalls: {
      relation: BaseModel.HasManyRelation,
      modelClass: MessageToolCall,
      join: { from: 'conversation_messages.id', to: 'message_tool_calls.message_id' },
    },
  });
}
