import {
  SEARCH_PROVIDERS,
  type TAdminSettings,
  type TSearchConnectionTest,
  type TSearchProvider,
} from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Callout } from '../../components/Callout';
import { errorMessage, readError } from '../../lib/errors';
import { queryClient, trpc } from '../../lib/trpc';
import { SegmentedChoice } from './SegmentedChoice';

const SAFE_SEARCH = ['off', 'moderate', 'strict'] as const;
const DEPTHS = ['basic', 'advanced'] as const;

const PROVIDER_LABELS: Record<TSearchProvider, string> = { brave: 'Brave Search', tavily: 'Tavily' };
const PROVIDER_NAMES: Record<TSearchProvider, string> = { brave: 'Brave', tavily: 'Tavily' };

/** "Connected to Brave: 3 results in 412 ms", or the provider's refusal as a sentence. */
export function connectionTestSentence(test: TSearchConnectionTest): string {
  if (!test.ok) return test.message;
  const results = `${test.results} result${test.results === 1 ? '' : 's'}`;
  return `Connected to ${PROVIDER_NAMES[test.provider]}: ${results} in ${Math.round(test.ms)} ms`;
}

/**
 * "Test connection": one real query through the saved provider and key, so a wrong key shows here
 * rather than as failed searches on users' cards.
 */
function ConnectionTest({ provider }: { provider: TSearchProvider | null }) {
  const test = useMutation(trpc.admin.settings.testConnection.mutationOptions());
  const outcome = test.data ?? null;
  const failure = test.error ? readError(test.error).message : outcome?.ok === false ? outcome.message : null;
  return (
    <div className="connection-test">
      <button
        type="button"
        className="btn btn-secondary"
        disabled={provider === null || test.isPending}
        title={
          provider === null
            ? 'Save a search provider first'
            : `Runs one search through ${PROVIDER_NAMES[provider]}`
        }
        onClick={() => test.mutate()}
      >
        {test.isPending ? 'Testing…' : 'Test connection'}
      </button>
      {test.isPending ? null : failure !== null ? (
        <p className="field-error" role="alert" data-testid="connection-test">
          {failure}
        </p>
      ) : outcome ? (
        <p className="field-hint" role="status" data-testid="connection-test">
          {connectionTestSentence(outcome)}
        </p>
      ) : null}
    </div>
  );
}

function numberField(config: Record<string, unknown>, key: string): string {
  const value = config[key];
  return typeof value === 'number' ? String(value) : '';
}

function textField(config: Record<string, unknown>, key: string): string {
  const value = config[key];
  return typeof value === 'string' ? value : '';
}

/** App settings: anonymous mock mode, web search, the active provider and its options. */
export function SettingsPanel() {
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  if (settings.error) return <Callout tone="error" title={errorMessage(settings.error)} />;
  if (!settings.data) return <p className="muted">Loading settings…</p>;
  return <SettingsForm current={settings.data} />;
}

function SettingsForm({ current }: { current: TAdminSettings }) {
  const [mock, setMock] = useState(current.anonymousMockMode);
  const [webSearch, setWebSearch] = useState(current.webSearchEnabled);
  const [provider, setProvider] = useState<TSearchProvider>(current.activeProvider ?? 'brave');
  const [apiKey, setApiKey] = useState('');
  const [count, setCount] = useState(
    numberField(current.providerConfig, current.activeProvider === 'tavily' ? 'maxResults' : 'count'),
  );
  const [option, setOption] = useState(
    textField(current.providerConfig, current.activeProvider === 'tavily' ? 'searchDepth' : 'safeSearch'),
  );
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.admin.settings.update.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.admin.settings.get.queryKey(), data);
        setApiKey('');
        setSaved(true);
      },
    }),
  );
  const error = save.error ? readError(save.error) : null;
  const sameProvider = provider === current.activeProvider;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const results = count ? Number(count) : undefined;
    const key = apiKey.trim() || undefined;
    const search =
      provider === 'brave'
        ? {
            provider,
            config: { apiKey: key, count: results, safeSearch: SAFE_SEARCH.find((item) => item === option) },
          }
        : {
            provider,
            config: { apiKey: key, maxResults: results, searchDepth: DEPTHS.find((item) => item === option) },
          };
    save.mutate({ anonymousMockMode: mock, webSearchEnabled: webSearch, search });
  };

  return (
    <form className="form admin-settings" onSubmit={submit} data-testid="admin-settings">
      <label className="switch">
        <input type="checkbox" checked={mock} onChange={(event) => setMock(event.target.checked)} />
        <span>
          <strong>Anonymous mock mode</strong>
          <span className="field-hint">
            {' '}
            Visitors without an account get mock answers (no upstream cost).
          </span>
        </span>
      </label>
      <label className="switch">
        <input type="checkbox" checked={webSearch} onChange={(event) => setWebSearch(event.target.checked)} />
        <span>
          <strong>Web search</strong>
          <span className="field-hint">
            {' '}
            Models that support it may search the web through the provider below.
          </span>
        </span>
      </label>
      <fieldset className="admin-fieldset">
        <legend className="field-label">Search provider</legend>
        <SegmentedChoice
          name="search-provider"
          label="Search provider"
          options={SEARCH_PROVIDERS.map((item) => ({ value: item, label: PROVIDER_LABELS[item] }))}
          value={provider}
          onChange={(item) => {
            setProvider(item);
            setOption('');
            setCount('');
          }}
        />
        <label className="field">
          <span className="field-label">API key</span>
          <input
            className="input"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            placeholder={
              sameProvider && current.hasApiKey
                ? `Stored: ${textField(current.providerConfig, 'apiKey')} (leave empty to keep)`
                : 'Paste the key'
            }
          />
          {error?.fieldErrors['search.config.apiKey'] ? (
            <span className="field-error">{error.fieldErrors['search.config.apiKey'][0]}</span>
          ) : null}
        </label>
        <label className="field">
          <span className="field-label">{provider === 'brave' ? 'Safe search' : 'Search depth'}</span>
          <select className="input" value={option} onChange={(event) => setOption(event.target.value)}>
            <option value="">Provider default</option>
            {(provider === 'brave' ? SAFE_SEARCH : DEPTHS).map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Results per search (1–20)</span>
          <input
            className="input"
            type="number"
            min={1}
            max={20}
            value={count}
            onChange={(event) => setCount(event.target.value)}
          />
        </label>
        <ConnectionTest provider={current.activeProvider} />
      </fieldset>
      {error ? <Callout tone="error" title={error.message} /> : null}
      {saved ? <Callout tone="success" title="Settings saved." /> : null}
      <div className="settings-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
