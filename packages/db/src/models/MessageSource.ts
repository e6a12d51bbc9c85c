import { BaseModel, type TimestampColumn } from './BaseModel';

/** A page an answer's model was given by a web tool; `position` + 1 is its citation number (migration 050). */
export class MessageSource extends BaseModel {
  static override tableName = 'message_sources';
  static override idColumn = ['message_id', 'position'];
  static override timestampColumns: readonly TimestampColumn[] = [];

  declare message_id: number;
  declare position: number;
  /** 'search' (a search result) | 'page' (a page the model read) */
  declare kind: string;
  declare url: string;
  declare title: string;
}
