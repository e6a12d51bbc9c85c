import type { TCompareEvent } from '@compareintel/shared';
import { columnWidth, joinColumns, wrapText } from './layout';
import type { ModelAnswer, RunState } from './run-state';
import { formatSummary } from './summary';

/** How a run is shown while it streams, and at its end. `onEvent` is called after the state took the event. */
export interface Renderer {
  onEvent(event: TCompareEvent, state: RunState): void;
  /** A line about the run itself ("Stopping…"): never on stdout, never through the live window. */
  notice(text: string): void;
  finish(state: RunState): void;
}

const stderrLine = (text: string) => {
  process.stderr.write(`${text}\n`);
};

type Write = (text: string) => void;
const stdoutWrite: Write = (text) => {
  process.stdout.write(text);
};

/** `--json`: each event exactly as the API sent it, one per line, and nothing else on stdout. */
export class JsonLinesRenderer implements Renderer {
  constructor(private readonly write: Write = stdoutWrite) {}
  onEvent(event: TCompareEvent): void {
    this.write(`${JSON.stringify(event)}\n`);
  }
  notice(text: string): void {
    stderrLine(text);
  }
  finish(): void {}
}

/**
 * One model after another, in the order they were picked: the first streams live, the others are
 * kept until their turn (each block is whole, so piped output reads like a report).
 */
export class SequentialRenderer implements Renderer {
  private cursor = 0;
  private readonly written = new Map<string, { text: number; remarks: number; header: boolean }>();
  private lastChar = '\n';

  constructor(
    private readonly order: string[],
    private readonly write: Write = stdoutWrite,
  ) {}

  private emit(text: string): void {
    if (!text) return;
    this.write(text);
    this.lastChar = text.at(-1) ?? this.lastChar;
  }

  private newline(): void {
    if (this.lastChar !== '\n') this.emit('\n');
  }

  onEvent(_event: TCompareEvent, state: RunState): void {
    while (this.cursor < this.order.length) {
      const modelId = this.order[this.cursor] ?? '';
      const answer = state.answerOf(modelId);
      const seen = this.written.get(modelId) ?? { text: 0, remarks: 0, header: false };
      this.written.set(modelId, seen);
      if (!seen.header) {
        this.emit(`${this.cursor > 0 ? '\n' : ''}━━ ${modelId} ━━\n`);
        seen.header = true;
      }
      for (const remark of answer.remarks.slice(seen.remarks)) {
        this.newline();
        this.emit(`[${remark}]\n`);
      }
      seen.remarks = answer.remarks.length;
      this.emit(answer.text.slice(seen.text));
      seen.text = answer.text.length;
      if (answer.status === 'streaming') return;
      this.newline();
      if (answer.message) this.emit(`[${answer.message}]\n`);
      this.cursor++;
    }
  }

  notice(text: string): void {
    stderrLine(text);
  }

  finish(state: RunState): void {
    // A run that ended without every model's end (a failed run) still shows what each one wrote.
    while (this.cursor < this.order.length) {
      const modelId = this.order[this.cursor] ?? '';
      const answer = state.answerOf(modelId);
      if (answer.status === 'streaming') answer.status = 'failed';
      this.onEvent({ type: 'delta', modelId, text: '' }, state);
    }
    this.newline();
    this.emit(`\n${formatSummary(state)}\n`);
  }
}

const ESC = '\x1b[';

/**
 * Side by side on a terminal: a live window showing the last lines of every column, redrawn in place
 * (cursor up, clear, print) at most every 60 ms; at the end the whole answers in columns, then the summary.
 */
export class ColumnsRenderer implements Renderer {
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly notices: string[] = [];

  constructor(
    private readonly order: string[],
    private readonly width: number,
    private readonly windowRows: number,
    private readonly write: Write = stdoutWrite,
  ) {}

  /** Columns of `width` for `models` on a terminal `columns` wide, or null when they do not fit. */
  static fitting(order: string[], columns: number, rows: number): ColumnsRenderer | null {
    const width = columnWidth(columns, order.length);
    return width ? new ColumnsRenderer(order, width, Math.max(3, rows - 8)) : null;
  }

  private columnOf(answer: ModelAnswer): string[] {
    const remarks = answer.remarks.map((remark) => `[${remark}]`);
    const ending = answer.message ? [`[${answer.message}]`] : [];
    return wrapText([...remarks, answer.text, ...ending].filter(Boolean).join('\n'), this.width);
  }

  private frame(state: RunState, live: boolean): string[] {
    const answers = this.order.map((modelId) => state.answerOf(modelId));
    const columns = answers.map((answer) => this.columnOf(answer));
    const height = Math.max(1, ...columns.map((lines) => lines.length));
    const shown = live ? Math.min(height, this.windowRows) : height;
    const header = joinColumns(
      answers.map((answer) => [answer.modelId.slice(0, this.width)]),
      this.width,
      1,
    );
    const status = joinColumns(
      answers.map((answer) => [
        answer.status === 'streaming' ? `… ${answer.text.length} chars` : answer.status,
      ]),
      this.width,
      1,
    );
    const separator = answers.map(() => '─'.repeat(this.width)).join('─┼─');
    return [
      ...header.map((line) => `${ESC}1m${line}${ESC}0m`),
      separator,
      ...joinColumns(columns, this.width, shown, height - shown),
      ...(live ? [separator, ...status, ...this.notices] : []),
    ];
  }

  private paint(lines: string[]): void {
    const clear = this.drawn ? `${ESC}${this.drawn}F${ESC}J` : '';
    this.write(`${clear}${lines.map((line) => `${line}\n`).join('')}`);
    this.drawn = lines.length;
  }

  notice(text: string): void {
    // Printed inside the window (stderr on the same terminal would shift what the next redraw erases).
    this.notices.push(text);
  }

  onEvent(_event: TCompareEvent, state: RunState): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!state.ending) this.paint(this.frame(state, true));
    }, 60);
  }

  finish(state: RunState): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.paint(this.frame(state, false));
    this.drawn = 0;
    for (const text of this.notices) stderrLine(text);
    this.write(`\n${formatSummary(state)}\n`);
  }
}
