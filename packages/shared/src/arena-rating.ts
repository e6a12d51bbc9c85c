/**
 * Ratings from blind votes: a Bradley–Terry model (P(i beats j) = p_i / (p_i + p_j)) fitted by the MM
 * algorithm of Hunter (2004), with a 95% confidence interval from the Fisher information of the
 * log-likelihood. Pure and deterministic.
 */

export type VoteOutcome = 'best' | 'ranking' | 'all_good' | 'all_bad';

export interface RatedVote {
  outcome: VoteOutcome;
  /** Model ids, best first (see arena_votes.ranking): for `best` the winner first. */
  ranking: readonly string[];
}

/** One comparison of two models: `a` won (1), lost (0) or tied (0.5). */
export interface PairResult {
  a: string;
  b: string;
  score: 0 | 0.5 | 1;
}

export interface ModelRating {
  modelId: string;
  /** 1000 + 400 · log10(strength): 1000 is the virtual average opponent; +400 is 10:1 odds against it. */
  rating: number;
  ciLow: number;
  ciHigh: number;
  votes: number;
  wins: number;
  ties: number;
  losses: number;
}

/** Elo-like points per unit of log-strength (natural log): 400 / ln 10. */
const ELO_PER_NAT = 400 / Math.LN10;
const Z_95 = 1.959963984540054;

/**
 * The pairwise results a vote stands for: a ranking gives every ordered pair; `best` gives the winner
 * over each other model (nothing among the others); "all equally good/bad" ties every pair.
 */
export function pairsOfVote(vote: RatedVote): PairResult[] {
  const ids = vote.ranking;
  const pairs: PairResult[] = [];
  for (let i = 0; i < ids.length; i += 1) {
    for (let j = i + 1; j < ids.length; j += 1) {
      const a = ids[i];
      const b = ids[j];
      if (a === undefined || b === undefined) continue;
      if (vote.outcome === 'ranking') pairs.push({ a, b, score: 1 });
      else if (vote.outcome === 'best' && i === 0) pairs.push({ a, b, score: 1 });
      else if (vote.outcome === 'all_good' || vote.outcome === 'all_bad') pairs.push({ a, b, score: 0.5 });
    }
  }
  return pairs;
}

/**
 * Fit the ratings of every model named in `votes`. Each model also gets one virtual tie against a fixed
 * average opponent (strength 1, rating 1000): a prior that keeps an unbeaten or winless model finite, lets
 * the MM iteration converge, and anchors the scale. Models are ordered by rating, best first (ties by id).
 */
export function rateModels(votes: readonly RatedVote[]): ModelRating[] {
  const ids = [...new Set(votes.flatMap((vote) => vote.ranking))].sort();
  const n = ids.length;
  if (n === 0) return [];
  const index = new Map(ids.map((id, i) => [id, i]));
  const at = (i: number, j: number) => i * n + j;
  // games[at(i, j)]: comparisons between i and j; score[i]: i's wins (a tie is half a win each way).
  const games = new Float64Array(n * n);
  const score = new Float64Array(n);
  const tally = ids.map(() => ({ votes: 0, wins: 0, ties: 0, losses: 0 }));
  const count = (i: number, key: 'votes' | 'wins' | 'ties' | 'losses') => {
    const entry = tally[i];
    if (entry) entry[key] += 1;
  };
  for (const vote of votes) {
    for (const id of new Set(vote.ranking)) count(index.get(id) ?? 0, 'votes');
    for (const pair of pairsOfVote(vote)) {
      const a = index.get(pair.a) ?? 0;
      const b = index.get(pair.b) ?? 0;
      games[at(a, b)] = (games[at(a, b)] ?? 0) + 1;
      games[at(b, a)] = (games[at(b, a)] ?? 0) + 1;
      score[a] = (score[a] ?? 0) + pair.score;
      score[b] = (score[b] ?? 0) + (1 - pair.score);
      if (pair.score === 0.5) {
        count(a, 'ties');
        count(b, 'ties');
      } else {
        count(pair.score === 1 ? a : b, 'wins');
        count(pair.score === 1 ? b : a, 'losses');
      }
    }
  }

  // MM (Hunter 2004, eq. 3): p_i <- W_i / sum_j n_ij / (p_i + p_j), the virtual tie adding 1/2 to W_i and
  // one game against p = 1. Updated in place (cyclic MM, which converges too) until nothing moves.
  const strength = new Float64Array(n).fill(1);
  for (let round = 0; round < 10_000; round += 1) {
    let change = 0;
    for (let i = 0; i < n; i += 1) {
      const pi = strength[i] ?? 1;
      let denominator = 1 / (pi + 1);
      for (let j = 0; j < n; j += 1) {
        const played = games[at(i, j)] ?? 0;
        if (played > 0) denominator += played / (pi + (strength[j] ?? 1));
      }
      const next = ((score[i] ?? 0) + 0.5) / denominator;
      change = Math.max(change, Math.abs(Math.log(next / pi)));
      strength[i] = next;
    }
    if (change < 1e-12) break;
  }

  // Fisher information of theta = ln p (the negated Hessian of the log-likelihood, prior included).
  const information = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    const pi = strength[i] ?? 1;
    information[at(i, i)] = pi / (pi + 1) ** 2;
    for (let j = 0; j < n; j += 1) {
      const played = games[at(i, j)] ?? 0;
      if (i === j || played === 0) continue;
      const pj = strength[j] ?? 1;
      const v = (played * pi * pj) / (pi + pj) ** 2;
      information[at(i, i)] = (information[at(i, i)] ?? 0) + v;
      information[at(i, j)] = (information[at(i, j)] ?? 0) - v;
    }
  }
  const variance = inverseDiagonal(information, n);

  return ids
    .map((modelId, i) => {
      const rating = 1000 + ELO_PER_NAT * Math.log(strength[i] ?? 1);
      const half = Z_95 * ELO_PER_NAT * Math.sqrt(Math.max(0, variance[i] ?? 0));
      const entry = tally[i] ?? { votes: 0, wins: 0, ties: 0, losses: 0 };
      return { modelId, rating, ciLow: rating - half, ciHigh: rating + half, ...entry };
    })
    .sort((x, y) => y.rating - x.rating || x.modelId.localeCompare(y.modelId));
}

/**
 * The diagonal of the inverse of an n x n symmetric positive definite matrix (row-major), by Gauss-Jordan
 * elimination; the prior makes the information matrix invertible.
 */
function inverseDiagonal(matrix: Float64Array, n: number): number[] {
  const width = 2 * n;
  const a = new Float64Array(n * width);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) a[i * width + j] = matrix[i * n + j] ?? 0;
    a[i * width + n + i] = 1;
  }
  for (let col = 0; col < n; col += 1) {
    const pivot = a[col * width + col] ?? 1;
    for (let k = 0; k < width; k += 1) a[col * width + k] = (a[col * width + k] ?? 0) / pivot;
    for (let r = 0; r < n; r += 1) {
      const factor = a[r * width + col] ?? 0;
      if (r === col || factor === 0) continue;
      for (let k = 0; k < width; k += 1) {
        a[r * width + k] = (a[r * width + k] ?? 0) - factor * (a[col * width + k] ?? 0);
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * width + n + i] ?? 0);
}
