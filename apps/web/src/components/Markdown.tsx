import 'katex/dist/katex.min.css';
import type { Element, Root, RootContent } from 'hast';
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

export function renderMarkdown(markdown: string): ReactNode {
  const processor = hasOpenFence(markdown) ? withoutHighlight : withHighlight;
  const tree = processor.runSync(processor.parse(markdown));
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

function renderCached(source: string): ReactNode {
  const hit = rendered.get(source);
  if (hit !== undefined) {
    rendered.delete(source);
    rendered.set(source, hit);
    return hit;
  }
  const output = renderMarkdown(source);
  rendered.set(source, output);
  if (rendered.size > CACHE_LIMIT) {
    const oldest = rendered.keys().next().value;
    if (oldest !== undefined) rendered.delete(oldest);
  }
  return output;
}

const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return renderCached(source);
});

/** Link reference or footnote definitions apply across blocks, so such text is parsed in one pass. */
const CROSS_BLOCK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/**
 * Rendered block by block (blank lines outside fences and math): finished blocks keep their output
 * and, while streaming, only the growing last block is parsed again each frame. A finished answer with
 * reference-style links or footnotes is parsed in one pass so their definitions apply everywhere.
 */
export default function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const blocks = useMemo(
    () => (streaming || !CROSS_BLOCK_DEFINITION.test(text) ? splitMarkdownBlocks(text) : [text]),
    [text, streaming],
  );
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only grow at the end, so an index is a stable identity here.
        // biome-ignore lint/suspicious/noArrayIndexKey: append-only list of blocks
        <MarkdownBlock key={index} source={block} />
      ))}
    </div>
  );
}
