/** Printing the bench's figures: one table per section, each column as wide as its header or widest cell. */
import { type Measurement, percentile } from './compare-run';

export const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
/** "p50 / p99" of a sample, unit in the column header. */
export const pair = (values: number[]) => `${f(percentile(values, 50))} / ${f(percentile(values, 99))}`;
/** What `api` adds to `base` at p50 and at p99. */
export const added = (api: Measurement, base: Measurement) =>
  `${f(percentile(api.ttft, 50) - percentile(base.ttft, 50))} / ${f(percentile(api.ttft, 99) - percentile(base.ttft, 99))}`;

/**
 * A table printed a row at a time (figures appear as they are measured): widths come from the headers
 * and from `minWidths`; a wider cell pushes its row's later columns, which stays readable.
 */
export class Table {
  private readonly widths: number[];
  constructor(title: string, headers: string[], minWidths: number[] = []) {
    this.widths = headers.map((header, i) => Math.max(header.length, minWidths[i] ?? 0));
    console.log(`\n${title}`);
    this.row(headers);
  }

  row(cells: string[]): void {
    console.log(
      cells
        .map((cell, i) => cell.padEnd(this.widths[i] ?? 0))
        .join(' | ')
        .trimEnd(),
    );
  }
}
