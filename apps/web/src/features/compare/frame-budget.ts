/**
 * How many cards may re-render in one animation frame, adapted to how long frames actually take on
 * this device: a slow frame lowers it, a quick one raises it again. Plus the least time between two
 * updates of the same card, which grows with the number of cards (3 cards: every frame; 12 cards:
 * about 11 updates a second each, still smooth streaming to the eye).
 */
const SLOW_FRAME_MS = 24;
const VERY_SLOW_FRAME_MS = 40;
const QUICK_FRAME_MS = 19;
/** A longer gap means nothing was rendering in between: it says nothing about frame cost. */
const IDLE_GAP_MS = 250;
const MS_PER_EXTRA_CARD = 10;
const MAX_CARD_INTERVAL_MS = 100;
const FIRST_FRAME_CARDS = 4;

export class FrameBudget {
  private perFrame: number;
  private lastFrameAt: number | null = null;
  private usedLastFrame = 0;
  readonly cardInterval: number;

  constructor(private readonly cards: number) {
    this.perFrame = Math.max(1, Math.min(cards, FIRST_FRAME_CARDS));
    this.cardInterval = Math.min(MAX_CARD_INTERVAL_MS, Math.max(0, cards - 3) * MS_PER_EXTRA_CARD);
  }

  /** Called at the start of each frame with its timestamp; returns how many cards it may update. */
  startFrame(time: number): number {
    const gap = this.lastFrameAt === null ? Number.POSITIVE_INFINITY : time - this.lastFrameAt;
    if (gap < IDLE_GAP_MS && this.usedLastFrame > 0) {
      if (gap > VERY_SLOW_FRAME_MS) this.perFrame = Math.max(1, Math.floor(this.usedLastFrame / 2));
      else if (gap > SLOW_FRAME_MS) this.perFrame = Math.max(1, this.usedLastFrame - 1);
      else if (gap < QUICK_FRAME_MS) this.perFrame = Math.min(this.cards, this.perFrame + 1);
    }
    this.lastFrameAt = time;
    return this.perFrame;
  }

  used(cards: number): void {
    this.usedLastFrame = cards;
  }
}
