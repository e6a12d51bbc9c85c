import { type RefObject, useEffect } from 'react';

/** The tallest content per turn index, from each column's measured heights. */
export function tallestPerTurn(
  heights: Iterable<readonly [turn: number, height: number]>,
): Map<number, number> {
  const tallest = new Map<number, number>();
  for (const [turn, height] of heights) tallest.set(turn, Math.max(tallest.get(turn) ?? 0, height));
  return tallest;
}

function turnIndex(element: Element): number {
  const value = element instanceof HTMLElement ? element.parentElement?.dataset.turn : undefined;
  return value === undefined ? -1 : Number(value);
}

/**
 * Turns level across columns: every column's turn k gets the min-height of the tallest turn k, so
 * turn k + 1 starts at the same height everywhere. Measured with a ResizeObserver on each turn's
 * content (not on the turn, whose min-height this sets). The turn being written (`liveTurn`) is left
 * alone until its run ends: it is the last one, nothing below it needs aligning, and leveling it on
 * every streaming frame would lay out all twelve columns each time. CSS subgrid would do this without
 * code, but Chromium lays out every subgrid again on each streaming frame (p95 frame 100 ms with 12
 * columns in `pnpm bench:web`, against 33 ms like this).
 */
export function useLevelTurns(
  row: RefObject<HTMLElement | null>,
  enabled: boolean,
  liveTurn: number,
  /** Changes whenever turns or columns appear or go: the observer then picks up the new ones. */
  layoutKey: string,
) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: layoutKey says when to look for new turns
  useEffect(() => {
    const element = row.current;
    if (!element) return;
    const turns = () => [...element.querySelectorAll<HTMLElement>('.turn')];
    if (!enabled) {
      for (const turn of turns()) turn.style.minHeight = '';
      return;
    }
    const heights = new Map<Element, number>();
    const level = () => {
      const tallest = tallestPerTurn(
        [...heights]
          .filter(([content]) => content.isConnected)
          .map(([content, height]) => [turnIndex(content), height]),
      );
      for (const turn of turns()) {
        const index = Number(turn.dataset.turn);
        const height = index === liveTurn ? undefined : tallest.get(index);
        const minHeight = height ? `${Math.ceil(height)}px` : '';
        if (turn.style.minHeight !== minHeight) turn.style.minHeight = minHeight;
      }
    };
    const observer = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
        if (heights.get(entry.target) !== height) {
          heights.set(entry.target, height);
          if (turnIndex(entry.target) !== liveTurn) changed = true;
        }
      }
      if (changed) level();
    });
    for (const content of element.querySelectorAll('.turn-content')) observer.observe(content);
    level();
    return () => observer.disconnect();
  }, [row, enabled, liveTurn, layoutKey]);
}
