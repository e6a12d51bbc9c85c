import { type AppSetting, ensureAppSettings } from '@compareintel/db';
import {
  AppError,
  SEARCH_PROVIDERS,
  type TAdminSettings,
  type TAdminSettingsUpdateInput,
  type TSearchConnectionTest,
  type TSearchProvider,
} from '@compareintel/shared';
import type { AppConfig } from '../env';
import { createSearchProvider } from '../search/create-search-provider';
import { testSearchConnection as runConnectionTest } from '../search/test-search-connection';
import { missingPermission, recordStaffAction, refuseStaffAction, type StaffDeps } from './staff-actions';

const ACTION = 'settings.update';

export function providerOf(value: string | null): TSearchProvider | null {
  return SEARCH_PROVIDERS.find((provider) => provider === value) ?? null;
}

export function storedKey(config: Record<string, unknown> | null): string | null {
  const key = config?.apiKey;
  return typeof key === 'string' && key.length > 0 ? key : null;
}

/** `••••1234`: enough to tell two keys apart, never enough to use one. */
function maskKey(key: string): string {
  return `••••${key.slice(-4)}`;
}

/** The config as staff and the audit log see it: the API key masked. */
function redactedConfig(config: Record<string, unknown> | null): Record<string, unknown> {
  const key = storedKey(config);
  return { ...(config ?? {}), ...(key ? { apiKey: maskKey(key) } : {}) };
}

function settingsView(row: AppSetting): TAdminSettings {
  return {
    anonymousMockMode: row.anonymous_mock_mode_enabled,
    webSearchEnabled: row.web_search_enabled,
    activeProvider: providerOf(row.active_search_provider),
    providerConfig: redactedConfig(row.search_provider_config),
    hasApiKey: storedKey(row.search_provider_config) !== null,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getAppSettings(deps: StaffDeps): Promise<TAdminSettings> {
  const refusal = missingPermission(deps.user, 'settings.read');
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  return settingsView(await ensureAppSettings(deps.db));
}

/**
 * The one app_settings row. A new search config replaces the old one; an omitted API key keeps the
 * stored key when the provider stays the same. Web search cannot be on without a provider and its key.
 */
export async function updateAppSettings(
  deps: StaffDeps,
  input: TAdminSettingsUpdateInput,
): Promise<TAdminSettings> {
  const refusal = missingPermission(deps.user, 'settings.write');
  if (refusal)
    await refuseStaffAction(deps, {
      targetId: null,
      actionType: ACTION,
      reason: refusal,
      requested: { fields: Object.keys(input) },
    });
  const { db } = deps;
  await ensureAppSettings(db);
  await db.knex.transaction(async (trx) => {
    const row = await db.models.AppSetting.query(trx).findById(1).throwIfNotFound();
    const current = settingsView(row);
    let provider = current.activeProvider;
    let config = row.search_provider_config;
    if (input.search) {
      const keepKey = input.search.provider === provider ? storedKey(config) : null;
      const apiKey = input.search.config.apiKey ?? keepKey;
      provider = input.search.provider;
      config = { ...input.search.config, ...(apiKey ? { apiKey } : {}) };
    }
    const webSearchEnabled = input.webSearchEnabled ?? row.web_search_enabled;
    if (webSearchEnabled && (provider === null || storedKey(config) === null)) {
      throw new AppError(
        'BAD_REQUEST',
        'Choose a search provider and give its API key before turning web search on.',
        {
          fieldErrors: { webSearchEnabled: ['Needs a search provider with an API key'] },
        },
      );
    }
    const updated = await db.models.AppSetting.query(trx).patchAndFetchById(1, {
      anonymous_mock_mode_enabled: input.anonymousMockMode ?? row.anonymous_mock_mode_enabled,
      web_search_enabled: webSearchEnabled,
      active_search_provider: provider,
      search_provider_config: config,
    });
    const next = settingsView(updated);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of [
      'anonymousMockMode',
      'webSearchEnabled',
      'activeProvider',
      'providerConfig',
    ] as const) {
      if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) {
        before[key] = current[key];
        after[key] = next[key];
      }
    }
    const oldKey = storedKey(row.search_provider_config);
    if (oldKey !== storedKey(updated.search_provider_config)) {
      // Which key, never the key: only that it changed.
      before.apiKey = oldKey ? 'set' : 'not set';
      after.apiKey = storedKey(updated.search_provider_config) ? 'replaced' : 'removed';
    }
    if (Object.keys(after).length === 0) return;
    await recordStaffAction(deps, trx, {
      targetId: null,
      actionType: ACTION,
      description: `${deps.user.email} changed the app settings: ${Object.keys(after).join(', ')}.`,
      details: { before, after },
    });
  });
  return getAppSettings(deps);
}

const TEST_ACTION = 'settings.testSearch';

/**
 * "Test connection": one real query through the active provider with the stored key, so staff see at
 * once whether the key and provider work. Audited (it spends a query of the provider's quota); the
 * answer and the audit row carry the outcome, never the key.
 */
export async function testSearchConnection(
  deps: StaffDeps & { config: Pick<AppConfig, 'BRAVE_SEARCH_URL' | 'TAVILY_SEARCH_URL'> },
): Promise<TSearchConnectionTest> {
  const refusal = missingPermission(deps.user, 'settings.write');
  if (refusal)
    await refuseStaffAction(deps, {
      targetId: null,
      actionType: TEST_ACTION,
      reason: refusal,
      requested: {},
    });
  const row = await ensureAppSettings(deps.db);
  const provider = providerOf(row.active_search_provider);
  const search = provider
    ? createSearchProvider(provider, row.search_provider_config, {
        braveBaseUrl: deps.config.BRAVE_SEARCH_URL,
        tavilyBaseUrl: deps.config.TAVILY_SEARCH_URL,
      })
    : null;
  let result: TSearchConnectionTest;
  if (!provider) {
    result = { ok: false, provider: null, message: 'Choose a search provider first.' };
  } else if (!search) {
    result = { ok: false, provider, message: 'Save the provider’s API key first.' };
  } else {
    const tested = await runConnectionTest(search, AbortSignal.timeout(15_000));
    result = tested.ok
      ? { ok: true, provider, results: tested.results, ms: tested.ms }
      : { ok: false, provider, message: tested.message };
  }
  await recordStaffAction(deps, undefined, {
    targetId: null,
    actionType: TEST_ACTION,
    description: `${deps.user.email} tested the search provider${provider ? ` (${provider})` : ''}: ${
      result.ok ? `${result.results} results in ${Math.round(result.ms)} ms` : result.message
    }`,
    details: result.ok
      ? { provider, ok: true, results: result.results, ms: Math.round(result.ms) }
      : { provider, ok: false, message: result.message },
  });
  return result;
}
