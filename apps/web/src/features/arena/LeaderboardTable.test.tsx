import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderboardTable } from './LeaderboardTable';

afterEach(cleanup);

describe('LeaderboardTable', () => {
  it('lists rank, model, rating, 95% interval, votes and W / T / L, in the order given', () => {
    render(
      <LeaderboardTable
        caption="Your votes"
        board={{
          votes: 1,
          entries: [
            {
              rank: 1,
              modelId: 'a/one',
              name: 'Model One',
              rating: 1131.38,
              ciLow: 515.2,
              ciHigh: 1747.6,
              votes: 1,
              wins: 1,
              ties: 0,
              losses: 0,
            },
            {
              rank: 2,
              modelId: 'b/two',
              name: 'Model Two',
              rating: 868.62,
              ciLow: 252.4,
              ciHigh: 1484.8,
              votes: 1,
              wins: 0,
              ties: 0,
              losses: 1,
            },
          ],
        }}
      />,
    );
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toBe('Your votes · 1 vote');
    const rows = screen.getAllByRole('row').slice(1);
    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      ),
    ).toEqual([
      ['1', '1131', '515 – 1748', '1', '1 / 0 / 0'],
      ['2', '869', '252 – 1485', '1', '0 / 0 / 1'],
    ]);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'Model One',
      'Model Two',
    ]);
  });

  it('says how to get a board when there are no votes', () => {
    render(<LeaderboardTable caption="Your votes" board={{ votes: 0, entries: [] }} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText(/No votes yet/)).toBeTruthy();
  });
});
