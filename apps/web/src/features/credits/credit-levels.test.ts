import { describe, expect, it } from 'vitest';
import { usageLevel, usedShare } from './credit-levels';

describe('usage alerts', () => {
  it('warns at 80 % and at 100 % of the pool', () => {
    expect(usageLevel(79, 100)).toBe('ok');
    expect(usageLevel(80, 100)).toBe('high');
    expect(usageLevel(99, 100)).toBe('high');
    expect(usageLevel(100, 100)).toBe('exhausted');
    expect(usageLevel(7000, 6700)).toBe('exhausted');
    expect(usageLevel(5, 0)).toBe('ok');
  });

  it('measures the share used, within 0..1', () => {
    expect(usedShare(25, 100)).toBe(0.25);
    expect(usedShare(150, 100)).toBe(1);
    expect(usedShare(-3, 100)).toBe(0);
  });
});
