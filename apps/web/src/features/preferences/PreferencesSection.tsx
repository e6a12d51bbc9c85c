import type { TPreferencesUpdateInput, TTheme } from '@compareintel/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Callout } from '../../components/Callout';
import { Icon, type IconName } from '../../components/Icon';
import { readError } from '../../lib/errors';
import { Link } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useSession } from '../auth/session';
import { ModelPicker } from '../models/ModelPicker';
import { initialSelection } from '../models/picker-rules';
import { usePreferences } from './use-preferences';
import { useThemeChoice } from './use-theme-choice';

const THEMES: Array<{ value: TTheme; label: string; icon: IconName }> = [
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
  { value: 'system', label: 'System', icon: 'monitor' },
];

export function ThemePicker() {
  const [theme, choose] = useThemeChoice();
  const { user } = useSession();
  return (
    <fieldset className="settings-block">
      <legend>Theme</legend>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {THEMES.map((option) => (
          <label key={option.value} className={`segment${theme === option.value ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name="theme"
              value={option.value}
              checked={theme === option.value}
              onChange={() => choose(option.value)}
            />
            <Icon name={option.icon} size={16} />
            {option.label}
          </label>
        ))}
      </div>
      <p className="field-hint">
        Applied at once and remembered in this browser{user ? ' and your account' : ''}.
      </p>
    </fieldset>
  );
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** Preferences of a signed-in user: theme, preferred models, time zone, mail and usage alerts. */
export function PreferencesSection() {
  const { user } = useSession();
  const preferences = usePreferences();
  const catalogue = useQuery(trpc.models.list.queryOptions());
  const [preferred, setPreferred] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);
  const update = useMutation(
    trpc.preferences.update.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.preferences.get.queryKey(), data);
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        setSaved('Saved.');
      },
    }),
  );
  const save = (change: TPreferencesUpdateInput) => {
    setSaved(null);
    update.mutate(change);
  };
  const limit = catalogue.data?.modelsPerComparison ?? 0;
  useEffect(() => {
    if (preferred === null && preferences.data && catalogue.data) {
      setPreferred(initialSelection(preferences.data.preferredModels, catalogue.data.models, limit));
    }
  }, [preferred, preferences.data, catalogue.data, limit]);

  if (!user) {
    return (
      <>
        <ThemePicker />
        <Callout
          tone="info"
          title="Sign in for more settings"
          actions={
            <Link className="btn btn-primary btn-sm" href="/signin?next=/settings">
              Sign in
            </Link>
          }
        >
          Preferred models, time zone and alerts are saved with your account.
        </Callout>
      </>
    );
  }
  const data = preferences.data;
  return (
    <>
      <ThemePicker />
      {update.error ? <Callout tone="error">{readError(update.error).message}</Callout> : null}
      <p className="sr-only" role="status">
        {saved}
      </p>
      <fieldset className="settings-block">
        <legend>Preferred models</legend>
        <p className="field-hint">Picked for you each time you start a new comparison.</p>
        {catalogue.data && preferred ? (
          <>
            <ModelPicker
              models={catalogue.data.models}
              limit={limit}
              selection={preferred}
              onChange={setPreferred}
              signedIn
              title="Preferred"
            />
            <div className="settings-actions">
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={update.isPending}
                onClick={() => save({ preferredModels: preferred })}
              >
                Save preferred models
              </button>
              {saved && update.variables?.preferredModels ? <span className="muted">{saved}</span> : null}
            </div>
          </>
        ) : (
          <p className="muted">Loading models…</p>
        )}
      </fieldset>
      <fieldset className="settings-block">
        <legend>Time zone</legend>
        <label className="field-label" htmlFor="timezone">
          Your daily credits refill at midnight in this zone
        </label>
        <p className="field-hint" id="timezone-hint">
          Every time on screen is shown in it (the browser’s zone until you choose). A new zone applies from
          the next refill on: the pool you have now keeps its refill time.
        </p>
        <select
          id="timezone"
          aria-describedby="timezone-hint"
          className="input"
          value={data?.timezone ?? ''}
          disabled={!data}
          onChange={(event) => save({ timezone: event.target.value || null })}
        >
          <option value="">UTC (default)</option>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </fieldset>
      <fieldset className="settings-block">
        <legend>Notifications</legend>
        <label className="switch">
          <input
            type="checkbox"
            checked={data?.emailNotifications ?? false}
            disabled={!data}
            onChange={(event) => save({ emailNotifications: event.target.checked })}
          />
          <span>
            Email notifications
            <span className="field-hint">Product news and account notices by email.</span>
          </span>
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={data?.usageAlerts ?? true}
            disabled={!data}
            onChange={(event) => save({ usageAlerts: event.target.checked })}
          />
          <span>
            Usage alerts
            <span className="field-hint">A warning in the app at 80 % and 100 % of your credits.</span>
          </span>
        </label>
      </fieldset>
    </>
  );
}
