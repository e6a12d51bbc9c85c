/**
 * Splits markdown into top-level blocks at blank lines, never inside a fenced code block or a `$$`
 * math block, and never before an indented line (a list item's continuation). A streaming answer only
 * grows at its end, so every block but the last is final and keeps its rendered output: each frame
 * re-parses one small block instead of the whole answer.
 */
export function splitMarkdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let blankLines = 0;
  let fence: string | null = null;
  let inMath = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const inside = fence !== null || inMath;
    if (!inside && trimmed === '') {
      blankLines += 1;
      continue;
    }
    if (blankLines > 0) {
      const continuation = !inside && /^[ \t]/.test(line);
      if (current.length > 0 && !continuation) {
        blocks.push(current.join('\n'));
        current = [];
      } else if (current.length > 0) {
        for (let i = 0; i < blankLines; i++) current.push('');
      }
      blankLines = 0;
    }
    current.push(line);
    const fenceMatch = /^(`{3,}|~{3,})/.exec(trimmed);
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1];
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && trimmed === marker) fence = null;
      continue;
    }
    // An odd number of `$$` on a line opens or closes a display-math block.
    if (fence === null && (trimmed.match(/\$\$/g)?.length ?? 0) % 2 === 1) inMath = !inMath;
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/** The fence marker a code-fence line opens or closes with, if the line is one. */
function fenceOf(line: string): string | null {
  return /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
}

/** Whether the text ends inside a fenced code block (an answer still writing its code). */
export function hasOpenFence(text: string): boolean {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const marker = fenceOf(line);
    if (!marker) continue;
    if (open === null) open = marker;
    else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = null;
  }
  return open !== null;
}
