import { MAX_PROMPT_CHARS, MAX_SYSTEM_PROMPT_CHARS, SEARCH_CREDITS_PER_CALL } from '@compareintel/shared';
import { type ReactNode, useId, useLayoutEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { formatInteger } from '../../lib/format';

export interface RunOptions {
  /** Null: each model's default. */
  temperature: number | null;
  systemPrompt: string;
  /** Let the models that can search the web do so while they answer (when staff turned it on). */
  webSearch: boolean;
  /** A blind comparison: "Model A/B/C…" until you vote (new comparisons of two or more models). */
  blind: boolean;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  temperature: null,
  systemPrompt: '',
  webSearch: false,
  blind: false,
};

/** The run options as `compare.start` and `compare.estimate` take them (unset ones left out). */
export function runOptionFields(options: RunOptions): {
  temperature?: number;
  systemPrompt?: string;
  webSearch?: true;
} {
  const systemPrompt = options.systemPrompt.trim();
  return {
    ...(options.temperature !== null ? { temperature: options.temperature } : {}),
    ...(systemPrompt ? { systemPrompt } : {}),
    ...(options.webSearch ? { webSearch: true as const } : {}),
  };
}

function WebSearchSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <label
      className="switch composer-web-search"
      title={`Models that can search the web do so while they answer (${SEARCH_CREDITS_PER_CALL} credits per search)`}
    >
      <input
        type="checkbox"
        role="switch"
        checked={on}
        aria-checked={on}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>Web search</span>
    </label>
  );
}

function BlindSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <label
      className="switch composer-blind"
      title="The answers are shown as Model A, B, C… in a random order; vote for the best to see which is which"
    >
      <input
        type="checkbox"
        role="switch"
        checked={on}
        aria-checked={on}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>Blind</span>
    </label>
  );
}

function RunOptionsPanel({
  options,
  onChange,
}: {
  options: RunOptions;
  onChange: (options: RunOptions) => void;
}) {
  const id = useId();
  return (
    <details className="composer-options">
      <summary>
        <Icon name="sliders" size={14} />
        Options
        {options.temperature !== null || options.systemPrompt ? (
          <>
            <span className="dot" aria-hidden="true" />
            <span className="sr-only">(set)</span>
          </>
        ) : null}
      </summary>
      <div className="composer-options-body">
        <div className="option-row">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={options.temperature !== null}
              onChange={(event) => onChange({ ...options, temperature: event.target.checked ? 0.7 : null })}
            />
            Set temperature
          </label>
          <input
            type="range"
            min={0}
            max={2}
            step={0.1}
            value={options.temperature ?? 0.7}
            disabled={options.temperature === null}
            aria-label="Temperature"
            onChange={(event) => onChange({ ...options, temperature: Number(event.target.value) })}
          />
          <output className="option-value">
            {options.temperature === null ? 'model default' : options.temperature.toFixed(1)}
          </output>
        </div>
        <label htmlFor={`${id}-system`} className="field-label">
          System prompt <span className="muted">(optional, sent to every model)</span>
        </label>
        <textarea
          id={`${id}-system`}
          className="input"
          rows={2}
          maxLength={MAX_SYSTEM_PROMPT_CHARS}
          placeholder="e.g. Answer in three sentences."
          value={options.systemPrompt}
          onChange={(event) => onChange({ ...options, systemPrompt: event.target.value })}
        />
      </div>
    </details>
  );
}

/**
 * The prompt box: Enter sends, Shift+Enter adds a line, the character count is shown against the
 * limit, and while a comparison runs the send button becomes "Stop all".
 */
export function Composer({
  value,
  onChange,
  onSubmit,
  running,
  onStopAll,
  blockedReason,
  estimate,
  options,
  onOptionsChange,
  placeholder,
  variant,
  webSearchAvailable = false,
}: {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  running: boolean;
  onStopAll: () => void;
  blockedReason: string | null;
  estimate: ReactNode;
  options: RunOptions;
  onOptionsChange: (options: RunOptions) => void;
  placeholder: string;
  variant: 'start' | 'followup';
  /** Staff turned web search on (`compare.webSearchStatus`): the switch is offered. */
  webSearchAvailable?: boolean;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const length = value.length;
  const tooLong = length > MAX_PROMPT_CHARS;
  const empty = value.trim().length === 0;
  const canSend = !running && !empty && !tooLong && blockedReason === null;

  // Grow with the text (reading scrollHeight forces a layout, so only when the text changed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the value changes
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${element.scrollHeight}px`;
  }, [value]);

  return (
    <form
      className={`composer composer-${variant}`}
      aria-label={variant === 'start' ? 'Prompt' : 'Follow-up'}
      onSubmit={(event) => {
        event.preventDefault();
        if (canSend) onSubmit();
      }}
    >
      <textarea
        ref={textarea}
        className="composer-input"
        value={value}
        rows={variant === 'start' ? 3 : 1}
        placeholder={placeholder}
        aria-label={variant === 'start' ? 'Your prompt' : 'Your follow-up'}
        aria-describedby="composer-count"
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
          event.preventDefault();
          if (canSend) onSubmit();
        }}
      />
      <div className="composer-bar">
        <RunOptionsPanel options={options} onChange={onOptionsChange} />
        {webSearchAvailable ? (
          <WebSearchSwitch
            on={options.webSearch}
            onChange={(webSearch) => onOptionsChange({ ...options, webSearch })}
          />
        ) : null}
        {variant === 'start' ? (
          <BlindSwitch on={options.blind} onChange={(blind) => onOptionsChange({ ...options, blind })} />
        ) : null}
        <div className="composer-meta">
          {estimate}
          <span
            id="composer-count"
            className={`char-count${tooLong ? ' is-over' : length > MAX_PROMPT_CHARS * 0.9 ? ' is-near' : ''}`}
          >
            {formatInteger(length)} / {formatInteger(MAX_PROMPT_CHARS)}
          </span>
        </div>
        {running ? (
          <button type="button" className="btn btn-danger composer-send" onClick={onStopAll}>
            <Icon name="stop" size={16} />
            Stop all
          </button>
        ) : (
          <button
            type="submit"
            className="btn btn-primary composer-send"
            disabled={!canSend}
            title={blockedReason ?? (tooLong ? 'The prompt is too long' : undefined)}
          >
            <Icon name="send" size={16} />
            {variant === 'start' ? 'Compare' : 'Send'}
          </button>
        )}
      </div>
      {blockedReason && !empty ? <p className="composer-hint">{blockedReason}</p> : null}
    </form>
  );
}
