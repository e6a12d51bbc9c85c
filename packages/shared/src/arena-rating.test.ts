import { describe, expect, it } from 'vitest';
import { pairsOfVote, rateModels } from './arena-rating';

const ELO_PER_NAT = 400 / Math.LN10;

describe('pairsOfVote', () => {
  it('a ranking gives every ordered pair, best gives the winner over each other, all equal ties all', () => {
    expect(pairsOfVote({ outcome: 'ranking', ranking: ['a', 'b', 'c'] })).toEqual([
      { a: 'a', b: 'b', score: 1 },
      { a: 'a', b: 'c', score: 1 },
      { a: 'b', b: 'c', score: 1 },
    ]);
    expect(pairsOfVote({ outcome: 'best', ranking: ['b', 'a', 'c'] })).toEqual([
      { a: 'b', b: 'a', score: 1 },
      { a: 'b', b: 'c', score: 1 },
    ]);
    expect(pairsOfVote({ outcome: 'all_bad', ranking: ['a', 'b'] })).toEqual([
      { a: 'a', b: 'b', score: 0.5 },
    ]);
  });
});

describe('rateModels (Bradley–Terry by MM, one virtual tie against an average model)', () => {
  it('matches the worked example: A beats B once', () => {
    // Worked by hand. Strengths p_A = x, p_B = y; each model also tied once with a virtual opponent of
    // strength 1 (half a win, one game). The data and prior are symmetric under A↔B with θ → −θ, so the
    // MLE has y = 1/x. A's score equation: W_A = 1 (beat B) + ½ (tie) = 1.5 equals its expected wins,
    //   1.5 = x/(x + 1/x) + x/(x + 1) = x²/(x² + 1) + x/(x + 1)
    //   ⇔ 1.5(x² + 1)(x + 1) = x²(x + 1) + x(x² + 1) ⇔ x³ − x² − x − 3 = 0,
    // whose real root is x ≈ 2.130395 (2.13³ − 2.13² − 2.13 − 3 ≈ −0.0016; 2.1304 → +0.00007).
    // Ratings: 1000 ± 400·log10(2.130395) = 1000 ± 131.38 → A ≈ 1131.38, B ≈ 868.62.
    // Fisher information of θ: q = x²/(x² + 1)² ≈ 0.14795 (the A–B game), v = x/(x + 1)² ≈ 0.21740 (each
    // virtual game); I = [[q + v, −q], [−q, q + v]], so Var θ_A = (q + v) / (v (2q + v)) ≈ 3.2740,
    // SE ≈ 1.8094 nats ≈ 314.3 points, 95% half-width ≈ 1.96 × 314.3 ≈ 616.
    const [a, b] = rateModels([{ outcome: 'best', ranking: ['A', 'B'] }]);
    const x = 2.130395;
    expect(x ** 3 - x ** 2 - x - 3).toBeCloseTo(0, 4);
    expect(a?.modelId).toBe('A');
    expect(a?.rating).toBeCloseTo(1000 + 400 * Math.log10(x), 2);
    expect(a?.rating).toBeCloseTo(1131.38, 1);
    expect(b?.rating).toBeCloseTo(868.62, 1);
    const q = x ** 2 / (x ** 2 + 1) ** 2;
    const v = x / (x + 1) ** 2;
    const half = 1.959964 * ELO_PER_NAT * Math.sqrt((q + v) / (v * (2 * q + v)));
    expect(half).toBeCloseTo(616, -1);
    expect((a?.ciHigh ?? 0) - (a?.rating ?? 0)).toBeCloseTo(half, 2);
    expect((a?.rating ?? 0) - (a?.ciLow ?? 0)).toBeCloseTo(half, 2);
    expect(a).toMatchObject({ votes: 1, wins: 1, ties: 0, losses: 0 });
    expect(b).toMatchObject({ votes: 1, wins: 0, ties: 0, losses: 1 });
  });

  it('rates a cycle of three (A > B, B > C, C > A) all at 1000', () => {
    const ratings = rateModels([
      { outcome: 'ranking', ranking: ['A', 'B'] },
      { outcome: 'ranking', ranking: ['B', 'C'] },
      { outcome: 'ranking', ranking: ['C', 'A'] },
    ]);
    for (const entry of ratings) expect(entry.rating).toBeCloseTo(1000, 6);
    expect(ratings.map((entry) => entry.modelId)).toEqual(['A', 'B', 'C']);
  });

  it('ties count half a win each way: "all equally good" leaves equal models at 1000', () => {
    const ratings = rateModels([{ outcome: 'all_good', ranking: ['A', 'B', 'C'] }]);
    for (const entry of ratings) {
      expect(entry.rating).toBeCloseTo(1000, 6);
      expect(entry).toMatchObject({ votes: 1, wins: 0, ties: 2, losses: 0 });
    }
  });

  it('solves the score equations for three models with a ranking (every model: expected = actual wins)', () => {
    const votes = [
      { outcome: 'ranking' as const, ranking: ['A', 'B', 'C'] },
      { outcome: 'best' as const, ranking: ['A', 'C', 'B'] },
      { outcome: 'best' as const, ranking: ['B', 'A', 'C'] },
    ];
    const ratings = rateModels(votes);
    const p = new Map(ratings.map((entry) => [entry.modelId, 10 ** ((entry.rating - 1000) / 400)]));
    const strength = (id: string) => p.get(id) ?? 0;
    // Games: A–B ×3 (A 2, B 1), A–C ×2 (A 2), B–C ×2 (B 2); plus each model's virtual tie.
    const expected = (i: string, opponents: Array<[string, number]>) =>
      opponents.reduce((sum, [j, n]) => sum + (n * strength(i)) / (strength(i) + strength(j)), 0) +
      strength(i) / (strength(i) + 1);
    expect(
      expected('A', [
        ['B', 3],
        ['C', 2],
      ]),
    ).toBeCloseTo(4 + 0.5, 8);
    expect(
      expected('B', [
        ['A', 3],
        ['C', 2],
      ]),
    ).toBeCloseTo(3 + 0.5, 8);
    expect(
      expected('C', [
        ['A', 2],
        ['B', 2],
      ]),
    ).toBeCloseTo(0 + 0.5, 8);
    expect(ratings.map((entry) => entry.modelId)).toEqual(['A', 'B', 'C']);
    for (const entry of ratings) expect(entry.ciLow).toBeLessThan(entry.rating);
  });

  it('rates nothing without votes', () => {
    expect(rateModels([])).toEqual([]);
  });
});
