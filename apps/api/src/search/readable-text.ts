/**
 * HTML to the plain text a model reads. A scanner rather than a DOM: pages are untrusted and up to a
 * megabyte, so every step is linear (an unclosed comment or script drops the rest of the page instead
 * of making a regular expression backtrack over it).
 */

/** Elements whose whole content is dropped (not text a reader sees). */
const DROPPED = new Set(['script', 'style', 'noscript', 'svg', 'template', 'iframe', 'object', 'canvas']);

/** What a head holds; any other element means the body has begun (both tags may be left out). */
const HEAD_CONTENT = new Set([
  'head',
  'title',
  'meta',
  'link',
  'base',
  'style',
  'script',
  'noscript',
  'template',
]);

/** Elements that start a new line of text. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tr',
  'ul',
]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  shy: '',
  zwj: '',
  zwnj: '',
};

function codePointText(codePoint: number): string {
  const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : '\uFFFD';
}

/** Decodes numeric entities and the common named ones; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (entity, body) => {
    const name = String(body);
    if (name.startsWith('#x') || name.startsWith('#X'))
      return codePointText(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return codePointText(Number.parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** Trims every line, collapses runs of spaces, and keeps at most one empty line between blocks. */
export function collapseWhitespace(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\r\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts text to at most `maxChars` characters, marking the cut with an ellipsis. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(0, maxChars - 1)).trimEnd()}…`;
}

const closingTags = new Map<string, RegExp>();
function closingTag(name: string): RegExp {
  let pattern = closingTags.get(name);
  if (!pattern) {
    pattern = new RegExp(`</${name}\\s*>`, 'gi');
    closingTags.set(name, pattern);
  }
  return pattern;
}

/** Where the element opened before `from` closes: [start of its closing tag, end of it], or the end. */
function findClose(html: string, name: string, from: number): [number, number] {
  const pattern = closingTag(name);
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  return match ? [match.index, match.index + match[0].length] : [html.length, html.length];
}

/** A page's title and readable text: no markup, scripts, styles or head, one block per line. */
export function htmlToReadableText(html: string): { title: string; text: string } {
  const pieces: string[] = [];
  let title = '';
  let inHead = false;
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    const textEnd = open === -1 ? html.length : open;
    // Line breaks in the source are spaces on the page; only blocks start new lines.
    if (!inHead) pieces.push(html.slice(position, textEnd).replace(/\s+/g, ' '));
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      position = end === -1 ? html.length : end + 3;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(open, open + 64));
    if (!tag) {
      // "<" that starts no tag (a doctype, "a < b"): a doctype is skipped, a lone "<" is text.
      const isDeclaration = html[open + 1] === '!' || html[open + 1] === '?';
      const end = isDeclaration ? html.indexOf('>', open) : -1;
      if (isDeclaration) position = end === -1 ? html.length : end + 1;
      else {
        if (!inHead) pieces.push('<');
        position = open + 1;
      }
      continue;
    }
    const tagEnd = html.indexOf('>', open);
    if (tagEnd === -1) break;
    position = tagEnd + 1;
    const closing = tag[1] === '/';
    const selfClosing = html[tagEnd - 1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    if (inHead && !HEAD_CONTENT.has(name)) inHead = false;
    if (name === 'title' && !closing && !selfClosing) {
      const [closeStart, closeEnd] = findClose(html, 'title', position);
      if (!title) title = decodeEntities(html.slice(position, closeStart)).replace(/\s+/g, ' ').trim();
      position = closeEnd;
    } else if (DROPPED.has(name) && !closing && !selfClosing) {
      position = findClose(html, name, position)[1];
    } else if (name === 'head') {
      inHead = !closing;
    } else if (name === 'body') {
      inHead = false;
    } else if (!inHead && BLOCKS.has(name)) {
      pieces.push(name === 'li' && !closing ? '\n• ' : '\n');
    } else if (!inHead && (name === 'td' || name === 'th')) {
      pieces.push(' ');
    }
  }
  return { title, text: collapseWhitespace(decodeEntities(pieces.join(''))).replace(/\n{2,}/g, '\n') };
}

/** A snippet that may hold markup (Brave marks matches with <strong>) as one line of plain text. */
export function snippetText(fragment: string): string {
  return htmlToReadableText(fragment).text.replace(/\s+/g, ' ');
}
