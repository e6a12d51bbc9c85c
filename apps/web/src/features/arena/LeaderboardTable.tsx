import type { TLeaderboard } from '@compareintel/shared';

const rating = (value: number) => Math.round(value).toString();

/** One board: rank, model, rating with its 95% interval, votes and wins / ties / losses. */
export function LeaderboardTable({ board, caption }: { board: TLeaderboard; caption: string }) {
  if (board.entries.length === 0) {
    return (
      <p className="muted">
        No votes yet. Turn on <strong>Blind</strong> when you compare, then vote for the best answer.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="leaderboard-table">
        <caption>
          {caption} · {board.votes} vote{board.votes === 1 ? '' : 's'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Model</th>
            <th scope="col">Rating</th>
            <th scope="col">95% CI</th>
            <th scope="col">Votes</th>
            <th scope="col" title="Pairwise wins / ties / losses">
              W / T / L
            </th>
          </tr>
        </thead>
        <tbody>
          {board.entries.map((entry) => (
            <tr key={entry.modelId}>
              <td>{entry.rank}</td>
              <th scope="row" title={entry.modelId}>
                {entry.name}
              </th>
              <td>{rating(entry.rating)}</td>
              <td>
                {rating(entry.ciLow)} – {rating(entry.ciHigh)}
              </td>
              <td>{entry.votes}</td>
              <td>
                {entry.wins} / {entry.ties} / {entry.losses}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
