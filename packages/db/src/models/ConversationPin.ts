import { BaseModel, type TimestampColumn } from './BaseModel';

/** A conversation its owner pinned: never evicted by the saved-conversation limit (see migration 040). */
export class ConversationPin extends BaseModel {
  static override tableName = 'conversation_pins';
  static override idColumn = 'conversation_id';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at'];

  declare conversation_id: number;
  declare created_at: Date;
}
