import 'katex/dist/katex.min.css';
import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { splitMarkdownBlocks } from './markdown-blocks';

/**
 * Answer rendering: GitHub-flavoured markdown, KaTeX math and highlighted code. Heavy (KaTeX and the
 * highlighter), so the app loads this module lazily (see LazyMarkdown).
 */
const remarkPlugins = [remarkGfm, remarkMath];
const rehypePlugins = [rehypeKatex, rehypeHighlight];

const components: Components = {
  // Links in model answers open outside the app and never carry the app's referrer.
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  table: ({ node: _node, ...props }) => (
    <div className="md-table-wrap">
      <table {...props} />
    </div>
  ),
};

const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
      {source}
    </ReactMarkdown>
  );
});

/**
 * `streaming`: render block by block so finished blocks are memoised; otherwise one pass over the whole
 * text (needed for reference links and footnotes that span blocks).
 */
export default function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const blocks = useMemo(() => (streaming ? splitMarkdownBlocks(text) : [text]), [text, streaming]);
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
