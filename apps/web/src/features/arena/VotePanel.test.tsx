import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { moved, VotePanel } from './VotePanel';

afterEach(cleanup);

const LABELS = ['Model A', 'Model B', 'Model C'];

describe('VotePanel', () => {
  it('votes for the best answer by its label', () => {
    const onVote = vi.fn();
    render(<VotePanel labels={LABELS} busy={false} error={null} onVote={onVote} />);
    fireEvent.click(screen.getByRole('button', { name: 'Model B is best' }));
    expect(onVote).toHaveBeenCalledWith({ outcome: 'best', ranking: ['Model B'] });
  });

  it('ranks with up/down buttons and sends every label, best first', () => {
    const onVote = vi.fn();
    render(<VotePanel labels={LABELS} busy={false} error={null} onVote={onVote} />);
    fireEvent.click(screen.getByRole('button', { name: 'Move Model C up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move Model C up' }));
    expect(screen.getByRole('button', { name: 'Move Model C up' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Submit this ranking' }));
    expect(onVote).toHaveBeenCalledWith({ outcome: 'ranking', ranking: ['Model C', 'Model A', 'Model B'] });
  });

  it('offers "all equally good" and "all equally bad", and nothing while the vote is being sent', () => {
    const onVote = vi.fn();
    const { rerender } = render(<VotePanel labels={LABELS} busy={false} error={null} onVote={onVote} />);
    fireEvent.click(screen.getByRole('button', { name: 'All equally good' }));
    fireEvent.click(screen.getByRole('button', { name: 'All equally bad' }));
    expect(onVote.mock.calls).toEqual([
      [{ outcome: 'all_good', ranking: [] }],
      [{ outcome: 'all_bad', ranking: [] }],
    ]);
    rerender(<VotePanel labels={LABELS} busy={true} error="You already voted." onVote={onVote} />);
    for (const button of screen.getAllByRole('button')) expect(button).toHaveProperty('disabled', true);
    expect(screen.getByRole('alert').textContent).toBe('You already voted.');
  });

  it('moved() swaps neighbours and leaves the ends alone', () => {
    expect(moved(LABELS, 1, -1)).toEqual(['Model B', 'Model A', 'Model C']);
    expect(moved(LABELS, 2, 1)).toEqual(LABELS);
  });
});
