import type { Element, ElementContent, Root, RootContent } from 'hast';
import katex from 'katex';
import { memo } from 'react';

/**
 * Math in answers. remark-math marks `$…$` and `$$…$$`; this rehype step swaps each for a marker that
 * the renderer turns into <Math>, which renders KaTeX's HTML directly and caches it by source. The usual
 * rehype-katex turns KaTeX's HTML into a syntax tree and back into DOM on every parse, which for a
 * streaming answer is every frame.
 */
export const MATH_MARKER = 'ci-math';

function classesOf(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function marker(latex: string, display: boolean): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: [MATH_MARKER], dataLatex: latex, dataDisplay: display ? 'true' : 'false' },
    children: [],
  };
}

/** The math node an element stands for, if any: inline `code.math-inline`, display `pre > code.math-display`. */
function mathOf(node: Element): Element | null {
  const classes = classesOf(node);
  if (node.tagName === 'code' && classes.includes('math-inline')) return marker(textOf(node), false);
  if (node.tagName === 'pre') {
    const code = node.children.find(
      (child): child is Element => child.type === 'element' && child.tagName === 'code',
    );
    if (code && classesOf(code).includes('math-display')) return marker(textOf(code), true);
  }
  return null;
}

function replaceMath(node: Root | Element): void {
  node.children = node.children.map((child): RootContent => {
    if (child.type !== 'element') return child;
    const math = mathOf(child);
    if (math) return math;
    replaceMath(child);
    return child;
  });
}

/** The rehype plugin: a transformer over the whole tree. */
export function rehypeMathMarkers() {
  return (tree: Root) => replaceMath(tree);
}

const rendered = new Map<string, string>();
const CACHE_LIMIT = 500;

function katexHtml(latex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${latex}`;
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  // throwOnError false: a formula KaTeX cannot read is shown as its source, in the error colour.
  const html = katex.renderToString(latex, { displayMode: display, throwOnError: false, strict: 'ignore' });
  rendered.set(key, html);
  if (rendered.size > CACHE_LIMIT) {
    const oldest = rendered.keys().next().value;
    if (oldest !== undefined) rendered.delete(oldest);
  }
  return html;
}

/** KaTeX's output is escaped HTML built from the formula alone (no \\href or raw HTML without `trust`). */
export const KatexMath = memo(function KatexMath({ latex, display }: { latex: string; display: boolean }) {
  return (
    <span
      className={display ? 'math math-display' : 'math math-inline'}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output, escaped, no trust option
      dangerouslySetInnerHTML={{ __html: katexHtml(latex, display) }}
    />
  );
});
