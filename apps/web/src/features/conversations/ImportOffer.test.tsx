import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportOfferCard, importSummary } from './ImportOffer';
import { dismissImportOffer, offerImport, toImported, useImportOffered } from './import-offer';
import type { LocalConversation } from './local-history';

afterEach(cleanup);

const A = 'google/gemini-2.5-flash';

describe('ImportOfferCard', () => {
  it('offers the visitor comparisons of this browser: Import or Not now', () => {
    const onImport = vi.fn();
    const onLater = vi.fn();
    render(<ImportOfferCard count={2} busy={false} error={null} onImport={onImport} onLater={onLater} />);
    expect(screen.getByText('Import your 2 comparisons from this browser into your account?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect(onImport).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(onLater).toHaveBeenCalledOnce();
  });

  it('cannot be clicked twice while importing, and shows why an import failed', () => {
    const { rerender } = render(
      <ImportOfferCard count={1} busy error={null} onImport={() => {}} onLater={() => {}} />,
    );
    expect(screen.getByText('Import your 1 comparison from this browser into your account?')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Importing…' }) as HTMLButtonElement).disabled).toBe(true);
    rerender(
      <ImportOfferCard count={1} busy={false} error="Server down." onImport={() => {}} onLater={() => {}} />,
    );
    expect(screen.getByRole('alert').textContent).toBe('Server down.');
  });
});

describe('importSummary', () => {
  it('says what moved and what did not fit under the limit', () => {
    expect(
      importSummary({
        imported: 1,
        skipped: 2,
        limit: 3,
        results: [
          { localId: 'a', outcome: 'imported', conversationId: 1 },
          { localId: 'b', outcome: 'duplicate', conversationId: 2 },
          { localId: 'c', outcome: 'over_limit', conversationId: null },
        ],
      }),
    ).toBe(
      '2 comparisons from this browser are now in your account. 1 comparison did not fit: your plan keeps 3 saved conversations. It stays in this browser; delete a saved one to make room.',
    );
  });
});

describe('toImported', () => {
  it('sends a kept conversation with its answers, by its local id', () => {
    const local: LocalConversation = {
      id: 'local-1',
      title: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:01:00.000Z',
      models: [A],
      turns: [
        {
          prompt: 'Hello',
          answers: {
            [A]: {
              text: 'Hi',
              status: 'done',
              error: null,
              metrics: { inputTokens: 1, outputTokens: 2, ttftMs: 3, durationMs: 4, credits: 0.5 },
            },
            'gone/model': null,
          },
        },
      ],
    };
    expect(toImported(local)).toEqual({
      localId: 'local-1',
      title: null,
      createdAt: local.createdAt,
      updatedAt: local.updatedAt,
      models: [A],
      turns: [{ prompt: 'Hello', answers: { [A]: local.turns[0]?.answers[A] } }],
    });
  });
});

describe('the offer flag', () => {
  it('is raised by a sign-in and lowered by Not now, for this tab only', () => {
    const { result } = renderHook(() => useImportOffered());
    expect(result.current).toBe(false);
    act(() => offerImport());
    expect(result.current).toBe(true);
    expect(window.sessionStorage.getItem('compareintel.importOffer')).toBe('true');
    act(() => dismissImportOffer());
    expect(result.current).toBe(false);
    expect(window.localStorage.getItem('compareintel.importOffer')).toBeNull();
  });
});
