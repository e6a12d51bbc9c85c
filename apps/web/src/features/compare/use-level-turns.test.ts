import { describe, expect, it } from 'vitest';
import { tallestPerTurn } from './use-level-turns';

describe('leveling turns across columns', () => {
  it('takes the tallest column per turn, so the next turn starts at the same height in all', () => {
    const tallest = tallestPerTurn([
      [0, 120],
      [0, 340],
      [1, 80],
      [0, 200],
      [1, 95],
    ]);
    expect([...tallest]).toEqual([
      [0, 340],
      [1, 95],
    ]);
  });
});
