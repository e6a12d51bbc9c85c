import { type RefObject, useEffect } from 'react';

/** The tallest content per turn index, from each column's measured heights. */
export function tallestPerTurn(
  heights: Iterable<readonly [turn: number, height: number]>,
): Map<number, number> {
  const tallest = new Map<number, number>();
  for (const [turn, height] of heights) tallest.set(turn, Math.max(tallest.get(turn) ?? 0, height));
  return tallest;
}

/**
 * A streaming turn's height grows in steps this tall (see useLevelTurns): about a screen, more than
 * most answers need in a 320 px column, so the page is laid out again mostly when a turn starts and
 * ends. 480 px steps measured p95 50 ms with 16 frames over 50 ms in `pnpm bench:web`; 960 px, 33 ms
 * and 5.
 */
export const RESERVE_STEP_PX = 960;

/** The height reserved for a streaming turn whose content is `content` px tall: the next step up. */
export function reservedHeight(content: number, current: number): number {
  if (current > 0 && content <= current) return current;
  return Math.ceil((content + 1) / RESERVE_STEP_PX) * RESERVE_STEP_PX;
}

function turnIndex(element: Element): number {
  const value = element instanceof HTMLElement ? element.parentElement?.dataset.turn : undefined;
  return value === undefined ? -1 : Number(value);
}

/**
 * Turns level across columns: every column's turn k gets the min-height of the tallest turn k, so
 * turn k + 1 starts at the same height everywhere. Measured with a ResizeObserver on each turn's
 * content (not on the turn, whose min-height this sets). The turn being written (`liveTurn`) is not
 * leveled until its run ends (it is the last one: nothing below it needs aligning). Instead it gets a
 * reserved height that grows in RESERVE_STEP_PX steps, with `contain: strict` (CSS, data-reserved):
 * a streaming frame then lays out that turn alone, not the page, as the old fixed-height cards did;
 * the page moves only when an answer crosses a step. The price: blank space below an answer while it
 * streams, gone when the run ends. CSS subgrid would level turns without code, but
 * Chromium lays out every subgrid again on each streaming frame (p95 frame 100 ms with 12 columns in
 * `pnpm bench:web`).
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
      for (const turn of turns()) {
        turn.style.minHeight = '';
        turn.style.height = '';
        delete turn.dataset.reserved;
      }
      return;
    }
    const heights = new Map<Element, number>();
    const reserve = (turn: HTMLElement, content: number) => {
      const current = Number.parseFloat(turn.style.height) || 0;
      const next = reservedHeight(content, current);
      if (next !== current) turn.style.height = `${next}px`;
      turn.dataset.reserved = '';
    };
    const level = () => {
      const tallest = tallestPerTurn(
        [...heights]
          .filter(([content]) => content.isConnected)
          .map(([content, height]) => [turnIndex(content), height]),
      );
      for (const turn of turns()) {
        const index = Number(turn.dataset.turn);
        if (index === liveTurn) {
          const content = turn.firstElementChild;
          reserve(turn, content ? (heights.get(content) ?? 0) : 0);
          turn.style.minHeight = '';
          continue;
        }
        if (turn.dataset.reserved !== undefined) {
          delete turn.dataset.reserved;
          turn.style.height = '';
        }
        const height = tallest.get(index);
        const minHeight = height ? `${Math.ceil(height)}px` : '';
        if (turn.style.minHeight !== minHeight) turn.style.minHeight = minHeight;
      }
    };
    const observer = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
        if (heights.get(entry.target) === height) continue;
        heights.set(entry.target, height);
        const turn = entry.target.parentElement;
        if (turnIndex(entry.target) === liveTurn && turn) reserve(turn, height);
        else changed = true;
      }
      if (changed) level();
    });
    for (const content of element.querySelectorAll('.turn-content')) observer.observe(content);
    level();
    return () => observer.disconnect();
  }, [row, enabled, liveTurn, layoutKey]);
}
