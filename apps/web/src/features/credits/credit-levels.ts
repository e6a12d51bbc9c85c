/** Share of the pool used, and which alert level it reached (PRODUCT.md: warnings at 80 % and 100 %). */
export type UsageLevel = 'ok' | 'high' | 'exhausted';

export const USAGE_WARNING_SHARE = 0.8;

export function usageLevel(used: number, allocated: number): UsageLevel {
  if (allocated <= 0) return 'ok';
  if (used >= allocated) return 'exhausted';
  if (used >= allocated * USAGE_WARNING_SHARE) return 'high';
  return 'ok';
}

export function usedShare(used: number, allocated: number): number {
  if (allocated <= 0) return 0;
  return Math.min(1, Math.max(0, used / allocated));
}
