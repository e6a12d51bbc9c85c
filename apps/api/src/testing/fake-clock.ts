/** A clock tests move by hand (token expiry, sliding sessions, hourly writes). */
export class FakeClock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  /** Pass as `now` (a bound function, safe to destructure). */
  readonly now = (): Date => new Date(this.current);

  advance(ms: number): void {
    this.current += ms;
  }
}
