import type { TConversationSummary, TEvictionPreview } from '@compareintel/shared';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvictionDialog } from './EvictionDialog';
import { type EvictionPlan, planFromPreview } from './eviction-plan';

afterEach(cleanup);

function summary(id: number, overrides: Partial<TConversationSummary> = {}): TConversationSummary {
  return {
    id,
    title: null,
    preview: `prompt ${id}`,
    modelsUsed: ['google/gemini-2.5-flash'],
    type: 'comparison',
    parentConversationId: null,
    breakoutModelId: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    messageCount: 2,
    pinned: false,
    ...overrides,
  };
}

function preview(overrides: Partial<TEvictionPreview> = {}): EvictionPlan {
  return planFromPreview({
    evicts: [summary(1, { title: 'Oldest one' })],
    blocked: false,
    limit: 3,
    saved: 3,
    ...overrides,
  });
}

function renderDialog(props: Partial<Parameters<typeof EvictionDialog>[0]> = {}) {
  const handlers = { onCancel: vi.fn(), onPin: vi.fn(), onDelete: vi.fn(), onContinue: vi.fn() };
  render(
    <EvictionDialog
      open
      plan={preview()}
      saved={[
        { key: '1', title: 'Oldest one', pinned: false },
        { key: '2', title: 'Second', pinned: true },
      ]}
      busy={false}
      error={null}
      {...handlers}
      {...props}
    />,
  );
  return handlers;
}

describe('EvictionDialog', () => {
  it('names the conversation a new comparison would delete, and continues only when asked', () => {
    const handlers = renderDialog();
    expect(screen.getByRole('heading').textContent).toBe('This comparison will delete a saved conversation');
    expect(screen.getByTestId('eviction-title').textContent).toBe('“Oldest one”');
    expect(screen.getByText(/keeps 3 saved conversations/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete it and continue' }));
    expect(handlers.onContinue).toHaveBeenCalledOnce();
  });

  it('names an untitled conversation by its prompt, and says when more than one would go', () => {
    renderDialog({ plan: preview({ evicts: [summary(4), summary(5)] }) });
    expect(screen.getByTestId('eviction-title').textContent).toBe('“prompt 4”');
    expect(screen.getByText(/and 1 more/)).toBeTruthy();
  });

  it('pins the proposed conversation, or cancels', () => {
    const handlers = renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Pin it' }));
    expect(handlers.onPin).toHaveBeenCalledWith('1');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(handlers.onCancel).toHaveBeenCalledOnce();
    expect(handlers.onContinue).not.toHaveBeenCalled();
  });

  it('lets the user delete another conversation instead', () => {
    const handlers = renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Delete another' }));
    expect(screen.getByRole('heading').textContent).toBe('Delete another conversation');
    expect(screen.getByRole('img', { name: 'Pinned' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Second”' }));
    expect(handlers.onDelete).toHaveBeenCalledWith('2');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByRole('button', { name: 'Pin it' })).toBeTruthy();
  });

  it('refuses to go on when every saved conversation is pinned: cancel or delete one', () => {
    renderDialog({ plan: preview({ evicts: [], blocked: true }) });
    expect(screen.getByRole('heading').textContent).toBe('All your saved conversations are pinned');
    expect(screen.queryByRole('button', { name: /continue/i })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pin it' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete another' })).toBeTruthy();
  });

  it('warns a visitor which comparison kept in this browser goes, with no pin but a sign-up', () => {
    const handlers = renderDialog({
      plan: {
        limit: 2,
        evicts: [{ key: 'l1', title: 'Old visit', pinned: false }],
        blocked: false,
        canPin: false,
      },
    });
    expect(screen.getByTestId('eviction-title').textContent).toBe('“Old visit”');
    expect(screen.getByText(/This browser keeps your last 2 comparisons/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pin it' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign up free' }).getAttribute('href')).toBe('/signup');
    fireEvent.click(screen.getByRole('button', { name: 'Delete it and continue' }));
    expect(handlers.onContinue).toHaveBeenCalledOnce();
  });

  it('says when the preview could not be read, and lets the user go on anyway', () => {
    const handlers = renderDialog({ plan: null, error: 'The server could not be reached.' });
    expect(screen.getByText('The server could not be reached.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(handlers.onContinue).toHaveBeenCalledOnce();
  });
});
