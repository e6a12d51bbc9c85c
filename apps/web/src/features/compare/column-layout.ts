import { useState } from 'react';
import { z } from 'zod';
import { readStored, writeStored } from '../../lib/storage';

/**
 * How the answer columns are laid out: how many fit the width, whether they scroll together, and
 * which ones the user has maximised, collapsed or hidden. The choices persisted in this browser are
 * the column count and sync scroll; maximise/collapse/hide are for the conversation on screen only.
 */
export const COLUMN_CHOICES = ['auto', 2, 3, 4] as const;
export type ColumnsChoice = (typeof COLUMN_CHOICES)[number];

/** Below this a column of prose and code gets cramped; Auto never goes narrower (it scrolls instead). */
export const MIN_COLUMN_PX = 320;
export const COLUMN_GAP_PX = 14;
/** A collapsed column: a strip wide enough for the avatar and the expand button. */
export const COLLAPSED_COLUMN_PX = 48;

const ZLayoutPrefs = z.object({
  columns: z.union([z.literal('auto'), z.literal(2), z.literal(3), z.literal(4)]),
  syncScroll: z.boolean(),
});
export type LayoutPrefs = z.infer<typeof ZLayoutPrefs>;

export const LAYOUT_PREFS_KEY = 'compareintel.columnLayout';
export const DEFAULT_LAYOUT_PREFS: LayoutPrefs = { columns: 'auto', syncScroll: true };

export function readLayoutPrefs(): LayoutPrefs {
  return readStored(LAYOUT_PREFS_KEY, ZLayoutPrefs, DEFAULT_LAYOUT_PREFS);
}

/** The column count and sync-scroll choice, remembered in localStorage. */
export function useLayoutPrefs() {
  const [prefs, setPrefs] = useState(readLayoutPrefs);
  const update = (change: Partial<LayoutPrefs>) =>
    setPrefs((current) => {
      const next = { ...current, ...change };
      writeStored(LAYOUT_PREFS_KEY, next);
      return next;
    });
  return [prefs, update] as const;
}

/**
 * The width of one open column, as a CSS track size resolved against the row's own width: N columns
 * share the row exactly (fewer models than N share it among themselves); Auto shares it while each
 * keeps at least MIN_COLUMN_PX, then the row scrolls sideways. One column alone is capped for reading,
 * unless it is maximised.
 */
export function columnWidth(choice: ColumnsChoice, openColumns: number, maximised = false): string {
  if (maximised) return 'minmax(0, 1fr)';
  if (openColumns <= 1) return 'minmax(0, 960px)';
  if (choice === 'auto') return `minmax(${MIN_COLUMN_PX}px, 1fr)`;
  const count = Math.min(choice, openColumns);
  return `calc((100% - ${(count - 1) * COLUMN_GAP_PX}px) / ${count})`;
}

/** On phones every open column is one screen wide (a little less, so the next one peeks in). */
export function phoneColumnWidth(openColumns: number): string {
  return openColumns <= 1 ? 'minmax(0, 1fr)' : 'calc(100% - 22px)';
}

/** The row's grid tracks, one per shown column, collapsed ones as narrow strips: wide and phone. */
export function gridColumns(
  choice: ColumnsChoice,
  shown: readonly string[],
  collapsed: ReadonlySet<string>,
  maximised = false,
): { wide: string; phone: string } {
  const open = shown.filter((id) => !collapsed.has(id)).length;
  const tracks = (width: string) =>
    shown.map((id) => (collapsed.has(id) ? `${COLLAPSED_COLUMN_PX}px` : width)).join(' ');
  return {
    wide: tracks(columnWidth(choice, open, maximised)),
    phone: tracks(maximised ? 'minmax(0, 1fr)' : phoneColumnWidth(open)),
  };
}

/** What the user did to the columns of the conversation on screen. */
export interface ColumnView {
  hidden: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  maximised: string | null;
}

export const EMPTY_COLUMN_VIEW: ColumnView = { hidden: new Set(), collapsed: new Set(), maximised: null };

function toggled(set: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

export type ColumnAction =
  | { type: 'hide'; id: string }
  | { type: 'showAll' }
  | { type: 'collapse'; id: string; collapsed: boolean }
  | { type: 'maximise'; id: string | null };

export function columnViewReducer(view: ColumnView, action: ColumnAction): ColumnView {
  switch (action.type) {
    case 'hide':
      return {
        hidden: toggled(view.hidden, action.id, true),
        collapsed: toggled(view.collapsed, action.id, false),
        maximised: view.maximised === action.id ? null : view.maximised,
      };
    case 'showAll':
      return { ...view, hidden: new Set() };
    case 'collapse':
      return {
        ...view,
        collapsed: toggled(view.collapsed, action.id, action.collapsed),
        maximised: action.collapsed && view.maximised === action.id ? null : view.maximised,
      };
    case 'maximise':
      return {
        ...view,
        maximised: action.id,
        // A maximised column is open, whatever it was before.
        collapsed: action.id ? toggled(view.collapsed, action.id, false) : view.collapsed,
      };
  }
}

/** The models shown in the row, in order: all but the hidden ones, or only the maximised one. */
export function shownColumns(models: readonly string[], view: ColumnView): string[] {
  if (view.maximised !== null && models.includes(view.maximised)) return [view.maximised];
  const shown = models.filter((id) => !view.hidden.has(id));
  // Hiding every column would leave an empty page with no way to tell why: keep the last one.
  return shown.length > 0 ? shown : models.slice(0, 1);
}
