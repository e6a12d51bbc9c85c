import { BaseModel, type TimestampColumn } from './BaseModel';

/** The single row of global settings; its id is always 1 (see ensureAppSettings). */
export class AppSetting extends BaseModel {
  static override tableName = 'app_settings';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override booleanColumns = ['anonymous_mock_mode_enabled', 'web_search_enabled'];
  static override jsonAttributes = ['search_provider_config'];

  declare id: number;
  declare anonymous_mock_mode_enabled: boolean;
  /** 'brave' | 'tavily' */
  declare active_search_provider: string | null;
  declare search_provider_config: Record<string, unknown> | null;
  declare web_search_enabled: boolean;
  declare created_at: Date;
  declare updated_at: Date;
}
