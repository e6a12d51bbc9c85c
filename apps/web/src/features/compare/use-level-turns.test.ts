import { describe, expect, it } from 'vitest';
import { RESERVE_STEP_PX, reservedHeight, tallestPerTurn } from './use-level-turns';

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

describe('the height reserved for a streaming turn', () => {
  it('grows in whole steps, so the page is laid out again only when an answer crosses one', () => {
    expect(reservedHeight(0, 0)).toBe(RESERVE_STEP_PX);
    expect(reservedHeight(120, RESERVE_STEP_PX)).toBe(RESERVE_STEP_PX);
    expect(reservedHeight(RESERVE_STEP_PX + 1, RESERVE_STEP_PX)).toBe(2 * RESERVE_STEP_PX);
    // Never shrinks while the turn streams.
    expect(reservedHeight(10, 3 * RESERVE_STEP_PX)).toBe(3 * RESERVE_STEP_PX);
  });
});
