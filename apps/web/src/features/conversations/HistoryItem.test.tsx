import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HistoryEntry, HistoryItem } from './HistoryItem';

afterEach(cleanup);

function entry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    key: '3',
    href: '/c/3',
    title: 'Moon landing',
    customTitle: null,
    providers: ['google'],
    modelNames: ['Gemini 2.5 Flash'],
    updatedAt: '2026-12-01T10:00:00.000Z',
    breakout: false,
    pinned: false,
    ...overrides,
  };
}

function renderItem(value: HistoryEntry, onTogglePin?: () => void) {
  render(
    <ul>
      <HistoryItem
        entry={value}
        active={false}
        renaming={false}
        onRename={() => {}}
        onDelete={() => {}}
        onTogglePin={onTogglePin}
      />
    </ul>,
  );
}

describe('HistoryItem pin', () => {
  it('pins a saved conversation from its row', () => {
    const toggle = vi.fn();
    renderItem(entry(), toggle);
    const button = screen.getByRole('button', { name: 'Pin “Moon landing”' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button);
    expect(toggle).toHaveBeenCalledOnce();
    expect(screen.queryByRole('img', { name: 'Pinned' })).toBeNull();
  });

  it('marks a pinned conversation and offers to unpin it', () => {
    renderItem(entry({ pinned: true }), () => {});
    expect(screen.getByRole('img', { name: 'Pinned' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unpin “Moon landing”' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it("has no pin for a visitor's conversation kept in the browser", () => {
    renderItem(entry({ pinned: null }));
    expect(screen.queryByRole('button', { name: /Pin/ })).toBeNull();
  });
});
