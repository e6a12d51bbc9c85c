import { afterEach, describe, expect, it } from 'vitest';
import {
  COLLAPSED_COLUMN_PX,
  columnViewReducer,
  columnWidth,
  DEFAULT_LAYOUT_PREFS,
  EMPTY_COLUMN_VIEW,
  gridColumns,
  LAYOUT_PREFS_KEY,
  MIN_COLUMN_PX,
  readLayoutPrefs,
  shownColumns,
} from './column-layout';

afterEach(() => localStorage.clear());

describe('column widths', () => {
  it('Auto shares the row but never goes below the minimum width (the row scrolls instead)', () => {
    expect(columnWidth('auto', 12)).toBe(`minmax(${MIN_COLUMN_PX}px, 1fr)`);
  });

  it('N columns share the row exactly, gaps included; fewer models share it among themselves', () => {
    expect(columnWidth(3, 12)).toBe('calc((100% - 28px) / 3)');
    expect(columnWidth(4, 2)).toBe('calc((100% - 14px) / 2)');
  });

  it('one column alone is capped for reading, unless maximised', () => {
    expect(columnWidth('auto', 1)).toBe('minmax(0, 960px)');
    expect(columnWidth(3, 1, true)).toBe('minmax(0, 1fr)');
  });

  it('collapsed columns are narrow strips and do not count as open ones', () => {
    const { wide, phone } = gridColumns(2, ['a', 'b', 'c'], new Set(['b']));
    expect(wide).toBe(`calc((100% - 14px) / 2) ${COLLAPSED_COLUMN_PX}px calc((100% - 14px) / 2)`);
    expect(phone).toBe(`calc(100% - 22px) ${COLLAPSED_COLUMN_PX}px calc(100% - 22px)`);
  });
});

describe('what the user did to the columns', () => {
  const models = ['a', 'b', 'c'];

  it('hides a column from view and shows every hidden one again; nothing else changes', () => {
    const hidden = columnViewReducer(EMPTY_COLUMN_VIEW, { type: 'hide', id: 'b' });
    expect(shownColumns(models, hidden)).toEqual(['a', 'c']);
    const back = columnViewReducer(hidden, { type: 'showAll' });
    expect(shownColumns(models, back)).toEqual(models);
  });

  it('never hides the last column', () => {
    let view = EMPTY_COLUMN_VIEW;
    for (const id of models) view = columnViewReducer(view, { type: 'hide', id });
    expect(shownColumns(models, view)).toEqual(['a']);
  });

  it('maximising shows only that column, and opens it if it was collapsed', () => {
    const collapsed = columnViewReducer(EMPTY_COLUMN_VIEW, { type: 'collapse', id: 'c', collapsed: true });
    const maximised = columnViewReducer(collapsed, { type: 'maximise', id: 'c' });
    expect(shownColumns(models, maximised)).toEqual(['c']);
    expect(maximised.collapsed.has('c')).toBe(false);
    expect(shownColumns(models, columnViewReducer(maximised, { type: 'maximise', id: null }))).toEqual(
      models,
    );
  });

  it('hiding or collapsing the maximised column restores the row', () => {
    const maximised = columnViewReducer(EMPTY_COLUMN_VIEW, { type: 'maximise', id: 'a' });
    expect(columnViewReducer(maximised, { type: 'hide', id: 'a' }).maximised).toBeNull();
    expect(columnViewReducer(maximised, { type: 'collapse', id: 'a', collapsed: true }).maximised).toBeNull();
  });
});

describe('remembered choices', () => {
  it('reads the column count and sync scroll, and falls back on anything unreadable', () => {
    expect(readLayoutPrefs()).toEqual(DEFAULT_LAYOUT_PREFS);
    localStorage.setItem(LAYOUT_PREFS_KEY, JSON.stringify({ columns: 3, syncScroll: false }));
    expect(readLayoutPrefs()).toEqual({ columns: 3, syncScroll: false });
    localStorage.setItem(LAYOUT_PREFS_KEY, JSON.stringify({ columns: 7, syncScroll: true }));
    expect(readLayoutPrefs()).toEqual(DEFAULT_LAYOUT_PREFS);
  });
});
