import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Markdown from './Markdown';
import { hasOpenFence, splitMarkdownBlocks } from './markdown-blocks';

afterEach(cleanup);

const answer = [
  '**Sum** of the first $n$ integers:',
  '',
  '$$',
  '\\frac{n(n+1)}{2}',
  '$$',
  '',
  '```ts',
  'const answer = (n: number) => (n * (n + 1)) / 2;',
  '',
  'console.log(answer(4));',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
].join('\n');

describe('Markdown', () => {
  it('renders highlighted code, KaTeX math and GFM tables', () => {
    const { container } = render(<Markdown text={answer} />);
    const code = container.querySelector('pre code.language-ts');
    expect(code?.textContent).toContain('const answer');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(container.querySelectorAll('.katex').length).toBeGreaterThanOrEqual(2);
    expect(container.querySelector('.katex-display')).not.toBeNull();
    expect(container.querySelector('.katex-display annotation')?.textContent).toContain('\\frac{n(n+1)}{2}');
    expect(container.querySelector('table td')?.textContent).toBe('1');
    expect(container.querySelector('strong')?.textContent).toBe('Sum');
  });

  it('renders the same output block by block while streaming', () => {
    const whole = render(<Markdown text={answer} />).container.innerHTML;
    cleanup();
    const streamed = render(<Markdown text={answer} streaming />).container;
    expect(streamed.querySelectorAll('.katex').length).toBeGreaterThanOrEqual(2);
    expect(streamed.querySelector('pre code .hljs-keyword')).not.toBeNull();
    expect(streamed.textContent?.replace(/\s/g, '')).toBe(
      new DOMParser().parseFromString(whole, 'text/html').body.textContent?.replace(/\s/g, ''),
    );
  });

  it('shows a code block still being written as plain code, highlighted once its fence closes', () => {
    const open = render(<Markdown text={'```ts\nconst a = 1;'} streaming />).container;
    expect(open.querySelector('pre code')?.textContent).toContain('const a = 1;');
    expect(open.querySelector('.hljs-keyword')).toBeNull();
    cleanup();
    const closed = render(<Markdown text={'```ts\nconst a = 1;\n```'} streaming />).container;
    expect(closed.querySelector('.hljs-keyword')?.textContent).toBe('const');
  });

  it('labels each code block with its language and copies the code as written', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { container } = render(<Markdown text={`${answer}\n\n\`\`\`\nplain\n\`\`\``} />);
    const labels = [...container.querySelectorAll('.code-block-lang')].map((label) => label.textContent);
    expect(labels).toEqual(['ts', 'code']);
    fireEvent.click(screen.getByRole('button', { name: 'Copy ts code' }));
    await expect.poll(() => writeText.mock.calls.length).toBe(1);
    expect(writeText.mock.calls[0]?.[0]).toBe(
      'const answer = (n: number) => (n * (n + 1)) / 2;\n\nconsole.log(answer(4));\n',
    );
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('drops raw HTML and unsafe links', () => {
    const { container } = render(<Markdown text={'<script>alert(1)</script> [x](javascript:alert(1))'} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href') ?? '').not.toContain('javascript');
  });

  it('opens links outside the app', () => {
    const { container } = render(<Markdown text="[docs](https://example.com)" />);
    expect(container.querySelector('a')?.getAttribute('target')).toBe('_blank');
    expect(container.querySelector('a')?.getAttribute('rel')).toContain('noopener');
  });
});

describe('splitMarkdownBlocks', () => {
  it('splits at blank lines but never inside code fences or display math', () => {
    expect(splitMarkdownBlocks(answer)).toEqual([
      '**Sum** of the first $n$ integers:',
      '$$\n\\frac{n(n+1)}{2}\n$$',
      '```ts\nconst answer = (n: number) => (n * (n + 1)) / 2;\n\nconsole.log(answer(4));\n```',
      '| a | b |\n|---|---|\n| 1 | 2 |',
    ]);
    expect(splitMarkdownBlocks('$$\na\n\nb\n$$\n\nafter')).toEqual(['$$\na\n\nb\n$$', 'after']);
  });

  it('keeps an indented continuation with its list item', () => {
    expect(splitMarkdownBlocks('1. item\n\n   more of item\n\nnext')).toEqual([
      '1. item\n\n   more of item',
      'next',
    ]);
  });

  it('knows when text ends inside a code fence', () => {
    expect(hasOpenFence('text\n```js\nlet a;')).toBe(true);
    expect(hasOpenFence('```js\nlet a;\n```')).toBe(false);
    expect(hasOpenFence('````\n```\nstill open')).toBe(true);
    expect(hasOpenFence('no code')).toBe(false);
  });

  it('keeps an unfinished fence open while streaming', () => {
    expect(splitMarkdownBlocks('text\n\n```js\nlet a;\n\nlet b')).toEqual(['text', '```js\nlet a;\n\nlet b']);
  });
});
