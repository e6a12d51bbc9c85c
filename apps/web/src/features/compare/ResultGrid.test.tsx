import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_PREFS_KEY } from './column-layout';
import type { Turn } from './conversation-view';
import type { CardModel } from './ResultCard';
import { ResultGrid } from './ResultGrid';

const models: CardModel[] = ['Alpha', 'Beta', 'Gamma', 'Delta'].map((name) => ({
  id: `acme/${name.toLowerCase()}`,
  name,
  provider: 'Acme',
}));

function answered(prompt: string): Turn {
  return {
    prompt,
    answers: Object.fromEntries(
      models.map((model) => [
        model.id,
        {
          text: `${model.name} says hi`,
          status: 'done' as const,
          error: null,
          metrics: { inputTokens: 1, outputTokens: 2, ttftMs: 10, durationMs: 20, credits: 0.1 },
        },
      ]),
    ),
  };
}

function renderGrid(turns: Turn[] = [answered('First?'), answered('Second?')]) {
  return render(
    <ResultGrid
      models={models}
      turns={turns}
      store={null}
      onStop={null}
      breakoutModels={new Set()}
      onBreakout={() => {}}
      breakoutBusyId={null}
    />,
  );
}

const row = () => {
  const element = document.querySelector<HTMLElement>('.result-grid');
  if (!element) throw new Error('no row');
  return element;
};
const cards = () => [...document.querySelectorAll<HTMLElement>('article.result-card')];
const card = (name: string) => screen.getByRole('article', { name });

beforeAll(() => {
  // jsdom has no ResizeObserver (columns that scroll on their own follow their content with one).
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('ResultGrid columns', () => {
  it('lays the columns out as one row: a track per column, each turn numbered for leveling', () => {
    renderGrid();
    expect(cards()).toHaveLength(4);
    expect(row().className).toContain('is-synced');
    expect(row().style.getPropertyValue('--columns')).toBe(Array(4).fill('minmax(320px, 1fr)').join(' '));
    for (const article of cards()) {
      const turns = [...article.querySelectorAll<HTMLElement>('.card-thread > .turn')];
      expect(turns.map((turn) => turn.dataset.turn)).toEqual(['0', '1']);
    }
  });

  it('"Columns: 3" shares the row between three, and is remembered in this browser', () => {
    renderGrid();
    fireEvent.click(screen.getByRole('radio', { name: '3 columns' }));
    expect(row().style.getPropertyValue('--columns')).toBe(
      Array(4).fill('calc((100% - 28px) / 3)').join(' '),
    );
    expect(JSON.parse(localStorage.getItem(LAYOUT_PREFS_KEY) ?? '{}')).toEqual({
      columns: 3,
      syncScroll: true,
    });
    cleanup();
    renderGrid();
    expect((screen.getByRole('radio', { name: '3 columns' }) as HTMLInputElement).checked).toBe(true);
  });

  it('sync scroll off: each column scrolls on its own', () => {
    renderGrid();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sync scroll' }));
    expect(row().className).toContain('is-own-scroll');
    expect(JSON.parse(localStorage.getItem(LAYOUT_PREFS_KEY) ?? '{}').syncScroll).toBe(false);
  });

  it('maximises one column; Escape restores the row and focus returns to its button', () => {
    renderGrid();
    fireEvent.click(within(card('Gamma')).getByRole('button', { name: 'Maximise Gamma' }));
    expect(row().className).toContain('is-maximised');
    expect(card('Gamma').className).toContain('is-maximised');
    expect(row().style.getPropertyValue('--columns')).toBe('minmax(0, 1fr)');
    // The others stay mounted (hidden by CSS), so restoring re-creates nothing.
    expect(cards()).toHaveLength(4);
    act(() => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    });
    expect(row().className).not.toContain('is-maximised');
    expect(document.activeElement).toBe(
      within(card('Gamma')).getByRole('button', { name: 'Maximise Gamma' }),
    );
  });

  it('collapses a column to a strip with its name, and expands it again', () => {
    renderGrid();
    fireEvent.click(within(card('Beta')).getByRole('button', { name: 'Collapse Beta' }));
    expect(card('Beta (collapsed)').className).toContain('is-collapsed');
    expect(row().style.getPropertyValue('--columns').split(' ')).toContain('48px');
    fireEvent.click(screen.getByRole('button', { name: 'Expand Beta' }));
    expect(card('Beta').querySelectorAll('.turn')).toHaveLength(2);
  });

  it('hides a column from view with "N hidden — show" to bring it back; nothing is deleted', () => {
    renderGrid();
    fireEvent.click(within(card('Alpha')).getByRole('button', { name: 'Hide Alpha from view' }));
    fireEvent.click(within(card('Delta')).getByRole('button', { name: 'Hide Delta from view' }));
    expect(cards().map((element) => element.getAttribute('aria-label'))).toEqual(['Beta', 'Gamma']);
    fireEvent.click(screen.getByRole('button', { name: '2 hidden — show' }));
    expect(cards()).toHaveLength(4);
    expect(card('Alpha').textContent).toContain('Alpha says hi');
  });

  it('a column alone offers no maximise, collapse or hide, and no columns control', () => {
    render(
      <ResultGrid
        models={models.slice(0, 1)}
        turns={[answered('Only?')]}
        store={null}
        onStop={null}
        breakoutModels={new Set()}
        onBreakout={() => {}}
        breakoutBusyId={null}
      />,
    );
    expect(screen.queryByTestId('columns-toolbar')).toBeNull();
    expect(screen.queryByRole('button', { name: /Maximise|Collapse|Hide/ })).toBeNull();
    expect(row().style.getPropertyValue('--columns')).toBe('minmax(0, 960px)');
  });

  it('keeps the turns already on screen when a follow-up is added', () => {
    const first = answered('First?');
    const { rerender } = renderGrid([first]);
    const before = card('Alpha').querySelector('.turn');
    rerender(
      <ResultGrid
        models={models}
        turns={[first, answered('Second?')]}
        store={null}
        onStop={null}
        breakoutModels={new Set()}
        onBreakout={() => {}}
        breakoutBusyId={null}
      />,
    );
    expect(card('Alpha').querySelector('.turn')).toBe(before);
    expect(card('Alpha').querySelectorAll('.turn')).toHaveLength(2);
  });
});
