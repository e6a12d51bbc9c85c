import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { formatContext, formatPricePerMillion } from '../../lib/format';
import type { CatalogueModel } from './model-types';
import { groupByProvider, lockLabel, toggleModel } from './picker-rules';

function Badges({ model, webSearch }: { model: CatalogueModel; webSearch: boolean }) {
  return (
    <span className="badges">
      {model.isThinking ? <span className="badge">Reasoning</span> : null}
      {model.supportsVision ? <span className="badge">Vision</span> : null}
      {model.supportsWebSearch ? (
        webSearch ? (
          <span className="badge badge-web-search" role="img" aria-label="Searches the web">
            Web
          </span>
        ) : (
          <span className="badge">Web</span>
        )
      ) : null}
      {model.supportsImageGeneration ? <span className="badge">Images</span> : null}
    </span>
  );
}

function PickerRow({
  model,
  checked,
  signedIn,
  webSearch,
  onToggle,
}: {
  model: CatalogueModel;
  checked: boolean;
  signedIn: boolean;
  webSearch: boolean;
  onToggle: () => void;
}) {
  const locked = lockLabel(model);
  const lockText = locked === 'Sign up' && signedIn ? 'Verify email' : locked;
  const { promptUsdPerToken, completionUsdPerToken } = model.pricing;
  return (
    <label className={`picker-row${checked ? ' is-checked' : ''}${locked ? ' is-locked' : ''}`}>
      <input
        type="checkbox"
        checked={checked}
        onChange={onToggle}
        aria-disabled={locked ? true : undefined}
        aria-label={`${model.name} by ${model.provider}${lockText ? ` (locked: ${lockText})` : ''}`}
        data-model-id={model.id}
      />
      <span className="picker-row-main">
        <span className="picker-row-name">
          {model.name}
          <Badges model={model} webSearch={webSearch} />
        </span>
        <span className="picker-row-meta" title="Price per million input / output tokens, and context window">
          {formatPricePerMillion(promptUsdPerToken)} / {formatPricePerMillion(completionUsdPerToken)} per 1M ·{' '}
          {formatContext(model.contextLength)} ctx
        </span>
      </span>
      {lockText ? (
        <span className="lock-label" title={model.unavailableReason ?? undefined}>
          <Icon name="lock" size={13} />
          {lockText}
        </span>
      ) : null}
    </label>
  );
}

/** "A, B and C". */
function listNames(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Choose the models to compare: search, grouped by provider, price and context per model, locked ones
 * marked with the tier that opens them, and a counter against the tier's limit. Going past the limit or
 * picking a locked model is refused with a sentence, never silently.
 */
export function ModelPicker({
  models,
  limit,
  selection,
  onChange,
  signedIn,
  title = 'Models',
  startOpen = false,
  webSearch = false,
}: {
  models: readonly CatalogueModel[];
  limit: number;
  selection: readonly string[];
  onChange: (selection: string[]) => void;
  signedIn: boolean;
  title?: string;
  startOpen?: boolean;
  /** The web search switch is on: say which picked models can search and which answer without. */
  webSearch?: boolean;
}) {
  const [open, setOpen] = useState(startOpen);
  const toggleButton = useRef<HTMLButtonElement>(null);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const panelId = useId();
  const groups = useMemo(() => groupByProvider(models, query), [models, query]);
  const byId = useMemo(() => new Map(models.map((model) => [model.id, model])), [models]);

  // Closing from inside the panel (Escape, Done) hands focus back to the toggle, not to <body>.
  const close = () => {
    setOpen(false);
    toggleButton.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggleButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  const toggle = (model: CatalogueModel) => {
    const outcome = toggleModel(selection, model, limit);
    if (outcome.ok) {
      setMessage(null);
      onChange(outcome.selection);
    } else {
      setMessage(outcome.reason);
    }
  };

  const full = selection.length >= limit;
  const withoutSearch = webSearch
    ? selection.flatMap((id) => {
        const model = byId.get(id);
        return model && !model.supportsWebSearch ? [model.name] : [];
      })
    : [];
  return (
    <div className="picker">
      <div className="picker-bar">
        <button
          ref={toggleButton}
          type="button"
          className="btn btn-secondary picker-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((value) => !value)}
        >
          <Icon name="sliders" size={16} />
          {title}
          <span className={`counter${full ? ' is-full' : ''}`} data-testid="picker-counter">
            {selection.length} / {limit}
          </span>
          <Icon name="chevronDown" size={16} />
        </button>
        <ul className="chips" aria-label="Selected models">
          {selection.map((id) => {
            const model = byId.get(id);
            return (
              <li key={id} className="chip">
                <ProviderAvatar provider={model?.provider ?? id} size="sm" />
                <span>{model?.name ?? id}</span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${model?.name ?? id}`}
                  onClick={() => {
                    setMessage(null);
                    onChange(selection.filter((item) => item !== id));
                  }}
                >
                  <Icon name="x" size={12} />
                </button>
              </li>
            );
          })}
          {selection.length === 0 ? <li className="chips-empty">No models picked yet</li> : null}
          {selection.length > 1 ? (
            <li>
              <button
                type="button"
                className="btn btn-ghost btn-sm chips-clear"
                onClick={() => {
                  setMessage(null);
                  onChange([]);
                }}
              >
                Clear all
              </button>
            </li>
          ) : null}
        </ul>
      </div>
      {withoutSearch.length > 0 ? (
        <p className="picker-web-note" data-testid="picker-web-note">
          {withoutSearch.length === 1
            ? `${withoutSearch[0]} can't search the web: it will answer without searching.`
            : `${listNames(withoutSearch)} can't search the web: they will answer without searching.`}
        </p>
      ) : null}
      {message ? (
        <p className="picker-message" role="alert" data-testid="picker-message">
          <Icon name="info" size={16} />
          {message}
        </p>
      ) : null}
      {open ? (
        <section className="picker-panel" id={panelId} aria-label="Choose models">
          <div className="picker-search">
            <Icon name="search" size={16} />
            <input
              type="search"
              className="input"
              placeholder={`Search ${models.length} models`}
              aria-label="Search models"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            <button type="button" className="btn btn-primary btn-sm" onClick={close}>
              Done
            </button>
          </div>
          <div className="picker-groups">
            {groups.length === 0 ? <p className="muted picker-empty">No model matches “{query}”.</p> : null}
            {groups.map((group) => (
              <fieldset key={group.provider} className="picker-group">
                <legend>
                  <ProviderAvatar provider={group.provider} size="sm" />
                  {group.provider}
                </legend>
                <div className="picker-group-rows">
                  {group.models.map((model) => (
                    <PickerRow
                      key={model.id}
                      model={model}
                      checked={selection.includes(model.id)}
                      signedIn={signedIn}
                      webSearch={webSearch}
                      onToggle={() => toggle(model)}
                    />
                  ))}
                </div>
              </fieldset>
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}
