import 'katex/dist/katex.min.css';
import type { TSource } from '@compareintel/shared';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { type Components, toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { type ComponentProps, memo, type ReactNode, useMemo, useRef, useState } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { defaultUrlTransform } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { Icon } from './Icon';
import { hasOpenFence, splitMarkdownBlocks } from './markdown-blocks';
import { KatexMath, MATH_MARKER, rehypeMathMarkers } from './math';

/**
 * Answer rendering: GitHub-flavoured markdown, KaTeX math and highlighted code, the pipeline
 * react-markdown runs but built once: react-markdown attaches every plugin on every render, and
 * rehype-highlight compiles all its grammars on attach, which per streaming frame and card was most of
 * the frame. Raw HTML is dropped (remark-rehype's default) and URLs pass react-markdown's filter.
 * Heavy (KaTeX, the highlighter), so the app loads this module lazily (see LazyMarkdown).
 */
const base = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkMath)
  .use(remarkRehype)
  .use(rehypeMathMarkers);
const withHighlight = base().use(rehypeHighlight).freeze();
/** For a code block still being written: highlighted once its fence closes, not on every frame. */
const withoutHighlight = base().freeze();

const URL_PROPERTIES = ['href', 'src'] as const;

function sanitizeUrls(node: Root | RootContent): void {
  if (node.type === 'element') {
    for (const key of URL_PROPERTIES) {
      const value = node.properties[key];
      if (typeof value === 'string') node.properties[key] = defaultUrlTransform(value);
    }
  }
  if ('children' in node) for (const child of node.children) sanitizeUrls(child);
}

/** `[3]` in an answer: the model citing the third source of its combined list. */
const CITATION = /\[(\d{1,3})\]/g;
/** Where `[n]` is not a citation: code, links (markdown links are links already), math. */
const NOT_CITING = new Set(['code', 'pre', 'a', 'kbd', 'samp']);

function citationLinks(value: string, sources: readonly TSource[]): ElementContent[] | null {
  const parts: ElementContent[] = [];
  let last = 0;
  for (const match of value.matchAll(CITATION)) {
    const number = Number(match[1]);
    const source = sources[number - 1];
    if (!source || number < 1) continue;
    if (match.index > last) parts.push({ type: 'text', value: value.slice(last, match.index) });
    parts.push({
      type: 'element',
      tagName: 'a',
      properties: { href: source.url, className: ['citation'], title: source.title || source.url },
      children: [{ type: 'text', value: match[0] }],
    });
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return null;
  if (last < value.length) parts.push({ type: 'text', value: value.slice(last) });
  return parts;
}

/**
 * Citations become links to their source, built as tree nodes (never as HTML), only for numbers that
 * have a source, and outside code, links and math; the URLs then pass the same filter as any link.
 */
export function linkCitations(node: Root | Element, sources: readonly TSource[]): void {
  const children: Array<Root['children'][number]> = [];
  let changed = false;
  for (const child of node.children) {
    if (child.type === 'text') {
      const links = citationLinks(child.value, sources);
      if (links) {
        children.push(...links);
        changed = true;
        continue;
      }
    } else if (
      child.type === 'element' &&
      !NOT_CITING.has(child.tagName) &&
      child.properties.dataLatex === undefined
    ) {
      linkCitations(child, sources);
    }
    children.push(child);
  }
  if (changed) node.children = children as typeof node.children;
}

/** The language a fenced block names (```ts → "ts"), from its <code> element's `language-*` class. */
export function codeLanguage(pre: Element | undefined): string | null {
  const code = pre?.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'code',
  );
  const classes = code?.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-'))
      return name.slice('language-'.length) || null;
  }
  return null;
}

/**
 * A code block with its language and a copy button. Long lines scroll inside the block (never widen the
 * card or the page); the copy takes the code as written, without the highlighter's markup.
 */
function CodeBlock({ node, ...props }: ComponentProps<'pre'> & { node?: Element | undefined }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  const language = codeLanguage(node);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pre.current?.textContent ?? '');
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="code-block">
      <div className="code-block-head">
        <span className="code-block-lang">{language ?? 'code'}</span>
        <button
          type="button"
          className="code-block-copy"
          onClick={copy}
          aria-label={copied ? 'Copied' : `Copy ${language ?? ''} code`.replace('  ', ' ')}
        >
          <Icon name={copied ? 'check' : 'copy'} size={14} />
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre ref={pre} {...props} />
    </div>
  );
}

const components: Partial<Components> = {
  pre: CodeBlock,
  // Links in model answers open outside the app and never carry the app's referrer.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  table: ({ node: _node, ...props }) => (
    <div className="md-table-wrap">
      <table {...props} />
    </div>
  ),
  span: ({ node, ...props }) => {
    const latex = node?.properties.dataLatex;
    if (props.className === MATH_MARKER && typeof latex === 'string') {
      return <KatexMath latex={latex} display={node?.properties.dataDisplay === 'true'} />;
    }
    return <span {...props} />;
  },
};

export function renderMarkdown(markdown: string, sources: readonly TSource[] = []): ReactNode {
  const processor = hasOpenFence(markdown) ? withoutHighlight : withHighlight;
  const tree = processor.runSync(processor.parse(markdown));
  if (sources.length > 0) linkCitations(tree, sources);
  sanitizeUrls(tree);
  return toJsxRuntime(tree, {
    Fragment,
    jsx,
    jsxs,
    components,
    ignoreInvalidStyle: true,
    passKeys: true,
    passNode: true,
  });
}

/**
 * Rendered blocks by source, so a finished answer that is shown again (the card switching from the
 * live answer to the stored one, a reopened conversation) costs DOM work, not parsing.
 */
const rendered = new Map<string, ReactNode>();
const CACHE_LIMIT = 600;

/** A block's cache key: its text, and the sources its citations point to when it has any. */
function cacheKey(source: string, sources: readonly TSource[]): string {
  if (sources.length === 0 || !/\[\d{1,3}\]/.test(source)) return source;
  return `${sources.map((item) => item.url).join('\n')}\u0000${source}`;
}

function renderCached(source: string, sources: readonly TSource[]): ReactNode {
  const key = cacheKey(source, sources);
  const hit = rendered.get(key);
  if (hit !== undefined) {
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const output = renderMarkdown(source, sources);
  rendered.set(key, output);
  if (rendered.size > CACHE_LIMIT) {
    const oldest = rendered.keys().next().value;
    if (oldest !== undefined) rendered.delete(oldest);
  }
  return output;
}

const MarkdownBlock = memo(function MarkdownBlock({
  source,
  sources,
}: {
  source: string;
  sources: readonly TSource[];
}) {
  return renderCached(source, sources);
});

const NO_SOURCES: readonly TSource[] = [];

/** Link reference or footnote definitions apply across blocks, so such text is parsed in one pass. */
const CROSS_BLOCK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/**
 * Rendered block by block (blank lines outside fences and math): finished blocks keep their output
 * and, while streaming, only the growing last block is parsed again each frame. A finished answer with
 * reference-style links or footnotes is parsed in one pass so their definitions apply everywhere.
 * Citations like `[2]` link to the answer's second source when it has one.
 */
export default function Markdown({
  text,
  streaming = false,
  sources = NO_SOURCES,
}: {
  text: string;
  streaming?: boolean;
  /** The answer's sources: its `[n]` citations link to them. */
  sources?: readonly TSource[] | undefined;
}) {
  const blocks = useMemo(
    () => (streaming || !CROSS_BLOCK_DEFINITION.test(text) ? splitMarkdownBlocks(text) : [text]),
    [text, streaming],
  );
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only grow at the end, so an index is a stable identity here.
        // biome-ignore lint/suspicious/noArrayIndexKey: append-only list of blocks
        <MarkdownBlock key={index} source={block} sources={sources} />
      ))}
    </div>
  );
}
