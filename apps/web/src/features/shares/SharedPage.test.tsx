import type { TSharedConversation } from '@compareintel/shared';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedConversationView } from './SharedPage';

afterEach(cleanup);

const A = 'openai/gpt-4o-mini';
const B = 'anthropic/claude-haiku-4.5';
const metrics = { inputTokens: 9, outputTokens: 30, ttftMs: 210, durationMs: 1200 };
const shared: TSharedConversation = {
  title: 'Tabs or spaces',
  type: 'comparison',
  createdAt: '2026-12-01T10:00:00.000Z',
  models: [
    { id: A, name: 'GPT-4o mini' },
    { id: B, name: 'Claude Haiku 4.5' },
  ],
  prompts: ['Tabs or spaces?', 'Why?'],
  answers: {
    [A]: [
      { text: 'Spaces.', status: 'done', error: null, metrics, sources: [], searches: 0, notes: [] },
      { text: 'Consistency.', status: 'done', error: null, metrics, sources: [], searches: 0, notes: [] },
    ],
    [B]: [{ text: 'Tabs.', status: 'done', error: null, metrics, sources: [], searches: 0, notes: [] }, null],
  },
};

describe('SharedConversationView', () => {
  it('shows each prompt with one column per model, read-only and without credits', () => {
    render(<SharedConversationView shared={shared} />);
    expect(screen.getAllByTestId('shared-prompt').map((node) => node.textContent)).toEqual([
      'Tabs or spaces?',
      'Why?',
    ]);
    const cards = screen.getAllByTestId('shared-answer');
    expect(cards.map((card) => card.getAttribute('data-model-id'))).toEqual([A, B, A, B]);
    expect(within(cards[1] as HTMLElement).getByText('Claude Haiku 4.5')).toBeTruthy();
    expect(cards[3]?.textContent).toContain('No answer to this prompt.');
    expect(screen.queryByText('Credits')).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(within(cards[0] as HTMLElement).getByText('1.20 s')).toBeTruthy();
  });
});
