/** Gap between two columns. */
export const COLUMN_GAP = ' │ ';
/** Below this many characters a column is too narrow to read: answers go one after another. */
export const MIN_COLUMN_WIDTH = 40;

/** Control characters (an answer's own escape sequences among them) would break the layout. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/\t/g, '  ').replace(/\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** Lines of at most `width` characters, broken at a space when one is near. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of printable(text).split('\n')) {
    let rest = paragraph;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > width / 2 ? space : width;
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).replace(/^ /, '');
    }
    lines.push(rest);
  }
  return lines;
}

/** How wide each of `count` columns can be on a terminal `totalWidth` wide (0 when they do not fit). */
export function columnWidth(totalWidth: number, count: number): number {
  const width = Math.floor((totalWidth - 1 - COLUMN_GAP.length * (count - 1)) / count);
  return width >= MIN_COLUMN_WIDTH ? width : 0;
}

/** Columns side by side, row by row: each cell padded to `width`; shorter columns end in blank cells. */
export function joinColumns(columns: string[][], width: number, rows: number, from = 0): string[] {
  const out: string[] = [];
  for (let row = from; row < from + rows; row++) {
    out.push(
      columns
        .map((lines) => (lines[row] ?? '').padEnd(width))
        .join(COLUMN_GAP)
        .trimEnd(),
    );
  }
  return out;
}
