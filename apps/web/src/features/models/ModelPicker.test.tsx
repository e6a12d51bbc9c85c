import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelPicker } from './ModelPicker';
import type { CatalogueModel } from './model-types';
import { groupByProvider, initialSelection, tierAbove, toggleModel } from './picker-rules';
import { catalogueModel } from './test-models';

const models: CatalogueModel[] = [
  catalogueModel({ id: 'acme/alpha', name: 'Alpha', provider: 'Acme', isThinking: true }),
  catalogueModel({ id: 'acme/beta', name: 'Beta', provider: 'Acme', supportsVision: true }),
  catalogueModel({ id: 'zeta/gamma', name: 'Gamma', provider: 'Zeta', contextLength: 1_000_000 }),
  catalogueModel({ id: 'zeta/delta', name: 'Delta', provider: 'Zeta' }),
  catalogueModel({
    id: 'big/omega',
    name: 'Omega',
    provider: 'Big',
    access: 'paid',
    available: false,
    requiredTier: 'starter',
    unavailableReason: 'Needs the Starter plan',
  }),
];

function Harness({ limit = 3, initial = [] }: { limit?: number; initial?: string[] }) {
  const [selection, setSelection] = useState<string[]>(initial);
  return (
    <ModelPicker
      models={models}
      limit={limit}
      selection={selection}
      onChange={setSelection}
      signedIn={false}
      startOpen
    />
  );
}

function checkbox(name: string): HTMLInputElement {
  const element = screen.getByRole('checkbox', { name: new RegExp(`^${name} by`) });
  if (!(element instanceof HTMLInputElement)) throw new Error('not an input');
  return element;
}

afterEach(cleanup);

describe('ModelPicker', () => {
  it('counts picks against the tier limit and refuses one more with a visible message', () => {
    render(<Harness limit={3} />);
    fireEvent.click(checkbox('Alpha'));
    fireEvent.click(checkbox('Beta'));
    fireEvent.click(checkbox('Gamma'));
    expect(screen.getByTestId('picker-counter').textContent).toBe('3 / 3');
    fireEvent.click(checkbox('Delta'));
    expect(checkbox('Delta').checked).toBe(false);
    expect(screen.getByTestId('picker-counter').textContent).toBe('3 / 3');
    expect(screen.getByRole('alert').textContent).toMatch(/up to 3 models at once.*Starter.*up to 6/);
  });

  it('clears every pick at once ("Clear all", shown from two picks on)', () => {
    render(<Harness limit={3} initial={['acme/alpha']} />);
    expect(screen.queryByRole('button', { name: 'Clear all' })).toBeNull();
    fireEvent.click(checkbox('Gamma'));
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    expect(screen.getByTestId('picker-counter').textContent).toBe('0 / 3');
    expect(checkbox('Alpha').checked).toBe(false);
    expect(checkbox('Gamma').checked).toBe(false);
    expect(screen.queryByRole('button', { name: 'Clear all' })).toBeNull();
  });

  it('lets a model go and then accepts another', () => {
    render(<Harness limit={2} initial={['acme/alpha', 'acme/beta']} />);
    fireEvent.click(checkbox('Alpha'));
    fireEvent.click(checkbox('Delta'));
    expect(checkbox('Delta').checked).toBe(true);
    expect(screen.getByTestId('picker-counter').textContent).toBe('2 / 2');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('marks locked models with the tier that opens them and refuses them', () => {
    render(<Harness />);
    expect(screen.getByText('Starter')).toBeTruthy();
    fireEvent.click(checkbox('Omega'));
    expect(checkbox('Omega').checked).toBe(false);
    expect(screen.getByRole('alert').textContent).toContain('Omega is locked. Needs the Starter plan');
  });

  it('searches across name and provider, grouped by provider, with price and context', () => {
    render(<Harness />);
    expect(screen.getByRole('group', { name: 'Acme' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search models'), { target: { value: 'zeta' } });
    expect(screen.queryByRole('checkbox', { name: /^Alpha by/ })).toBeNull();
    expect(checkbox('Gamma')).toBeTruthy();
    expect(screen.getByText(/\$1\.00 \/ \$5\.00 per 1M · 1M ctx/)).toBeTruthy();
  });

  it('Escape closes the panel and gives focus back to the toggle, not to <body>', () => {
    render(<Harness />);
    const toggle = screen.getByRole('button', { name: /Models/ });
    screen.getByLabelText('Search models').focus();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText('Search models')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });

  it('Done closes the panel with focus on the toggle too', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Models/ }));
  });

  it('stays closed when not asked to start open', () => {
    render(
      <ModelPicker
        models={models}
        limit={3}
        selection={['acme/alpha']}
        onChange={() => {}}
        signedIn={false}
      />,
    );
    expect(screen.getByRole('button', { name: /Models/ }).getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText('Search models')).toBeNull();
  });

  it('removes a chip', () => {
    render(<Harness initial={['acme/alpha']} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Alpha' }));
    expect(screen.getByTestId('picker-counter').textContent).toBe('0 / 3');
  });
});

describe('picker rules', () => {
  it('toggles within the limit', () => {
    const alpha = models[0];
    const delta = models[3];
    if (!alpha || !delta) throw new Error('fixture');
    expect(toggleModel([], alpha, 1)).toEqual({ ok: true, selection: ['acme/alpha'] });
    expect(toggleModel(['acme/alpha'], delta, 1).ok).toBe(false);
    expect(toggleModel(['acme/alpha'], alpha, 1)).toEqual({ ok: true, selection: [] });
  });

  it('names the next tier up from the shared tier table', () => {
    expect(tierAbove(3)).toBe('starter');
    expect(tierAbove(6)).toBe('pro');
    expect(tierAbove(12)).toBeNull();
  });

  it('pre-selects preferred models that exist and are open, up to the limit', () => {
    expect(
      initialSelection(['big/omega', 'zeta/delta', 'gone/model', 'acme/alpha', 'acme/beta'], models, 2),
    ).toEqual(['zeta/delta', 'acme/alpha']);
  });

  it('groups providers alphabetically, open models first', () => {
    const groups = groupByProvider(models, '');
    expect(groups.map((group) => group.provider)).toEqual(['Acme', 'Big', 'Zeta']);
    expect(groupByProvider(models, 'reason').length).toBe(0);
    expect(groupByProvider(models, 'alp acme')[0]?.models.map((model) => model.id)).toEqual(['acme/alpha']);
  });
});

describe('ModelPicker with web search on', () => {
  const searching = [
    catalogueModel({ id: 'acme/seeker', name: 'Seeker', supportsWebSearch: true }),
    catalogueModel({ id: 'acme/plain', name: 'Plain' }),
    catalogueModel({ id: 'acme/other', name: 'Other' }),
  ];
  const picker = (webSearch: boolean, selection: string[]) =>
    render(
      <ModelPicker
        models={searching}
        limit={3}
        selection={selection}
        onChange={() => {}}
        signedIn={false}
        startOpen
        webSearch={webSearch}
      />,
    );

  it('marks the models that can search and says the others answer without searching', () => {
    picker(true, ['acme/seeker', 'acme/plain', 'acme/other']);
    expect(screen.getAllByRole('img', { name: 'Searches the web' })).toHaveLength(1);
    expect(screen.getByTestId('picker-web-note').textContent).toBe(
      "Plain and Other can't search the web: they will answer without searching.",
    );
  });

  it('says nothing about it while the switch is off, or when every pick can search', () => {
    picker(false, ['acme/seeker', 'acme/plain']);
    expect(screen.queryByRole('img', { name: 'Searches the web' })).toBeNull();
    expect(screen.queryByTestId('picker-web-note')).toBeNull();
    cleanup();
    picker(true, ['acme/seeker']);
    expect(screen.queryByTestId('picker-web-note')).toBeNull();
  });
});
