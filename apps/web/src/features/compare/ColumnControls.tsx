import { Icon } from '../../components/Icon';
import { ProviderAvatar } from '../../components/ProviderAvatar';
import { COLUMN_CHOICES, type ColumnsChoice, type LayoutPrefs } from './column-layout';
import type { AnswerStatus } from './run-store';

/** A card as the column controls need it (ResultCard's CardModel has the same shape). */
interface ColumnModel {
  id: string;
  name: string;
  provider: string;
}

/**
 * Above the row: how many columns share the width (Auto, 2, 3, 4), whether they scroll together, and
 * how many the user hid, with the way back. Shown when there is more than one column.
 */
export function ColumnsToolbar({
  prefs,
  onChange,
  hidden,
  onShowAll,
}: {
  prefs: LayoutPrefs;
  onChange: (change: Partial<LayoutPrefs>) => void;
  hidden: number;
  onShowAll: () => void;
}) {
  const label = (choice: ColumnsChoice) => (choice === 'auto' ? 'Auto' : `${choice}`);
  return (
    <div className="columns-toolbar" data-testid="columns-toolbar">
      <fieldset className="columns-choice">
        <legend>Columns</legend>
        {COLUMN_CHOICES.map((choice) => (
          <label key={choice} className={`columns-option${prefs.columns === choice ? ' is-on' : ''}`}>
            <input
              type="radio"
              name="columns"
              checked={prefs.columns === choice}
              onChange={() => onChange({ columns: choice })}
              aria-label={choice === 'auto' ? 'Auto columns' : `${choice} columns`}
            />
            {label(choice)}
          </label>
        ))}
      </fieldset>
      <label
        className="columns-sync"
        title="On: the columns scroll with the page, each turn level across them. Off: each column scrolls on its own."
      >
        <input
          type="checkbox"
          checked={prefs.syncScroll}
          onChange={(event) => onChange({ syncScroll: event.target.checked })}
        />
        Sync scroll
      </label>
      {hidden > 0 ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onShowAll} data-testid="show-hidden">
          {hidden} hidden — show
        </button>
      ) : null}
    </div>
  );
}

/** What the column's own buttons do to the row (ResultGrid's view state); null = not offered. */
export interface CardLayout {
  /** This column alone fills the row. */
  maximised: boolean;
  onMaximise: ((maximised: boolean) => void) | null;
  onCollapse: (() => void) | null;
  onHide: (() => void) | null;
}

export function LayoutButtons({ name, layout }: { name: string; layout: CardLayout }) {
  const { maximised, onMaximise, onCollapse, onHide } = layout;
  return (
    <>
      {onMaximise ? (
        <button
          type="button"
          className="icon-button column-wide-action"
          onClick={() => onMaximise(!maximised)}
          aria-label={maximised ? `Restore ${name} to the row` : `Maximise ${name}`}
          aria-pressed={maximised}
          title={maximised ? 'Restore (Esc)' : 'Maximise'}
          data-testid="card-maximise"
        >
          <Icon name={maximised ? 'minimize' : 'maximize'} size={16} />
        </button>
      ) : null}
      {onCollapse && !maximised ? (
        <button
          type="button"
          className="icon-button column-wide-action"
          onClick={onCollapse}
          aria-label={`Collapse ${name}`}
          title="Collapse to a strip"
          data-testid="card-collapse"
        >
          <Icon name="chevronsLeft" size={16} />
        </button>
      ) : null}
      {onHide && !maximised ? (
        <button
          type="button"
          className="icon-button"
          onClick={onHide}
          aria-label={`Hide ${name} from view`}
          title="Hide from view (nothing is deleted)"
          data-testid="card-hide"
        >
          <Icon name="eyeOff" size={16} />
        </button>
      ) : null}
    </>
  );
}

/** A collapsed column: a narrow strip with the model's name, its status, and a button to open it. */
export function CollapsedCard({
  model,
  status,
  onExpand,
}: {
  model: ColumnModel;
  status: AnswerStatus | null;
  onExpand: () => void;
}) {
  return (
    <article
      className="card result-card is-collapsed"
      aria-label={`${model.name} (collapsed)`}
      data-model-id={model.id}
      data-status={status}
    >
      <button
        type="button"
        className="collapsed-open"
        onClick={onExpand}
        aria-label={`Expand ${model.name}`}
        title={`Expand ${model.name}`}
      >
        <Icon name="chevronsRight" size={16} />
        <ProviderAvatar provider={model.provider} size="sm" />
        <span className="collapsed-name">{model.name}</span>
        {status ? (
          <span className={`status status-${status}`} title={status}>
            <span className="status-dot" aria-hidden="true" />
          </span>
        ) : null}
      </button>
    </article>
  );
}
