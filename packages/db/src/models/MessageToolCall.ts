import { BaseModel, type TimestampColumn } from './BaseModel';

/** One web tool call an answer made, in order (migration 051). */
export class MessageToolCall extends BaseModel {
  static override tableName = 'message_tool_calls';
  static override idColumn = ['message_id', 'position'];
  static override timestampColumns: readonly TimestampColumn[] = [];

  declare message_id: number;
  declare position: number;
  /** 'web_search' | 'fetch_url' */
  declare tool: string;
  /** The query searched or the URL read. */
  declare target: string;
  /** 'done' | 'failed' */
  declare state: string;
  declare note: string | null;
}
