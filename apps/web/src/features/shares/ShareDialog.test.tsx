import type { TShareLink } from '@compareintel/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { absoluteShareUrl, expiryDays, ShareDialogView, type ShareDialogViewProps } from './ShareDialog';

afterEach(cleanup);

const link = (id: number, expiresAt: string | null = null): TShareLink => ({
  id,
  token: `token${id}`.padEnd(43, 'x'),
  url: `/s/${`token${id}`.padEnd(43, 'x')}`,
  createdAt: '2026-12-03T10:00:00.000Z',
  expiresAt,
});

function renderDialog(overrides: Partial<ShareDialogViewProps> = {}) {
  const props: ShareDialogViewProps = {
    open: true,
    origin: 'https://compare.example',
    links: [],
    expiry: 'never',
    creating: false,
    revokingId: null,
    copiedId: null,
    error: null,
    onExpiryChange: vi.fn(),
    onCreate: vi.fn(),
    onCopy: vi.fn(),
    onRevoke: vi.fn(),
    onClose: vi.fn(),
    ...overrides,
  };
  render(<ShareDialogView {...props} />);
  return props;
}

describe('ShareDialogView', () => {
  it('creates a link with the chosen expiry: never, 1, 7 or 30 days', () => {
    const props = renderDialog();
    expect(screen.getByTestId('share-none').textContent).toBe('No active links.');
    const select = screen.getByLabelText('Link expires');
    expect(
      within(select)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Never', '1 day', '7 days', '30 days']);
    fireEvent.change(select, { target: { value: '7' } });
    expect(props.onExpiryChange).toHaveBeenCalledWith('7');
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(props.onCreate).toHaveBeenCalledOnce();
    expect([expiryDays('never'), expiryDays('1'), expiryDays('7'), expiryDays('30')]).toEqual([
      undefined,
      1,
      7,
      30,
    ]);
  });

  it('lists the active links as full addresses, to copy or revoke', () => {
    const first = link(1);
    const second = link(2, '2026-12-10T10:00:00.000Z');
    const props = renderDialog({ links: [second, first], copiedId: 1 });
    const rows = screen.getAllByTestId('share-link');
    expect(rows).toHaveLength(2);
    const address = within(rows[1] as HTMLElement).getByLabelText<HTMLInputElement>('Shared link');
    expect(address.value).toBe(`https://compare.example${first.url}`);
    expect(absoluteShareUrl(first, 'https://compare.example')).toBe(address.value);
    expect(within(rows[0] as HTMLElement).getByText(/^Expires /)).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('Never expires')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByRole('button', { name: 'Copied' })).toBeTruthy();
    fireEvent.click(within(rows[0] as HTMLElement).getByRole('button', { name: 'Copy link' }));
    expect(props.onCopy).toHaveBeenCalledWith(second);
    fireEvent.click(within(rows[1] as HTMLElement).getByRole('button', { name: 'Revoke' }));
    expect(props.onRevoke).toHaveBeenCalledWith(first);
  });

  it('shows work in progress and errors, and closes', () => {
    const props = renderDialog({ creating: true, revokingId: 1, links: [link(1)], error: 'Server down.' });
    expect((screen.getByRole('button', { name: 'Creating…' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Revoking…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('Server down.');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(props.onClose).toHaveBeenCalledOnce();
  });
});
