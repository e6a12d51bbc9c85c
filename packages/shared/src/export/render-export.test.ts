import { describe, expect, it } from 'vitest';
import {
  type TConversationExport,
  ZConversationExport,
  ZImportConversationsInput,
} from '../schemas/conversation-export';
import {
  escapeHtml,
  exportFilename,
  renderConversationExport,
  renderExportHtml,
  renderExportMarkdown,
} from './render-export';

const A = 'openai/gpt-4o-mini';
const B = 'anthropic/claude-haiku-4.5';

function sample(): TConversationExport {
  return {
    format: 'compareintel.conversation',
    version: 1,
    exportedAt: '2026-12-03T10:00:00.000Z',
    conversation: {
      title: 'Tabs <vs> "spaces"',
      type: 'comparison',
      createdAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T09:05:00.000Z',
      models: [A, B],
      turns: [
        {
          prompt: 'Tabs or spaces?\nAnswer briefly.',
          answers: {
            [A]: {
              text: 'Spaces. <script>alert(1)</script>',
              status: 'done',
              error: null,
              metrics: { inputTokens: 12, outputTokens: 40, ttftMs: 310, durationMs: 900, credits: 0.42 },
              sources: [
                { url: 'https://example.com/style', title: 'Style <guide>' },
                { url: 'javascript:alert(1)', title: 'evil' },
              ],
            },
            [B]: {
              text: '',
              status: 'failed',
              error: 'The model took too long to answer.',
              metrics: { inputTokens: 12, outputTokens: null, ttftMs: null, durationMs: 5000, credits: null },
              sources: [],
            },
          },
        },
        {
          prompt: 'Why?',
          answers: {
            [A]: {
              text: 'Consistency.',
              status: 'done',
              error: null,
              metrics: { inputTokens: 60, outputTokens: 5, ttftMs: 200, durationMs: 400, credits: 0.1 },
              sources: [],
            },
          },
        },
      ],
    },
  };
}

const names = { [A]: 'GPT-4o mini', [B]: 'Claude Haiku 4.5' };

describe('conversation export', () => {
  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('names files after the title and day, safely', () => {
    expect(exportFilename(sample(), 'markdown')).toBe('compareintel-tabs-vs-spaces-2026-12-01.md');
    expect(exportFilename(sample(), 'json')).toBe('compareintel-tabs-vs-spaces-2026-12-01.json');
    const untitled = sample();
    untitled.conversation.title = '../../etc/passwd';
    expect(exportFilename(untitled, 'html')).toBe('compareintel-etc-passwd-2026-12-01.html');
  });

  it('renders Markdown: title, prompts as quotes, each answer under its model with metrics and sources', () => {
    const markdown = renderExportMarkdown(sample(), names);
    expect(markdown).toContain('# Tabs <vs> "spaces"');
    expect(markdown).toContain('## Prompt 1\n\n> Tabs or spaces?\n> Answer briefly.');
    expect(markdown).toContain(
      '### GPT-4o mini (`openai/gpt-4o-mini`)\n\n_done · 12 in / 40 out tokens · first token 310 ms · 0.9 s total · 0.42 credits_',
    );
    expect(markdown).toContain(
      '_failed: The model took too long to answer. · 12 in / — out tokens · 5.0 s total_',
    );
    expect(markdown).toContain('1. [Style <guide>](https://example.com/style)');
    expect(markdown).toContain('## Prompt 2\n\n> Why?');
    // B has no answer to the second prompt: only A's heading follows it.
    expect(markdown.split('## Prompt 2')[1]).not.toContain('Claude Haiku 4.5');
  });

  it('renders one self-contained HTML page: columns side by side, no scripts, everything escaped', () => {
    const html = renderExportHtml(sample(), names);
    expect(html).toContain('<title>Tabs &lt;vs&gt; &quot;spaces&quot; — CompareIntel</title>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Spaces. &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(
      '<a href="https://example.com/style" rel="noopener noreferrer">Style &lt;guide&gt;</a>',
    );
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<li>evil</li>');
    expect(html).not.toMatch(/<link|src=|@import/i);
    expect(html.match(/<section class="column">/g)).toHaveLength(4);
    expect(html).toContain('No answer to this prompt.');
  });

  it('renders JSON that validates as a version 1 export and imports as one', () => {
    const file = renderConversationExport(sample(), 'json', names);
    expect(file.mimeType).toBe('application/json');
    const parsed: unknown = JSON.parse(file.content);
    expect(ZConversationExport.parse(parsed)).toEqual(sample());
    const imported = ZImportConversationsInput.parse({ conversations: [parsed] });
    expect(imported.conversations[0]).toEqual(sample());
  });

  it('refuses another format or version with a readable reason, naming the field', () => {
    const issues = (doc: unknown) =>
      ZImportConversationsInput.safeParse({ conversations: [doc] }).error?.issues.map((issue) => [
        issue.path.join('.'),
        issue.message,
      ]);
    expect(issues({ ...sample(), version: 2 })).toEqual([
      ['conversations.0.version', 'Unknown export version (this app reads version 1)'],
    ]);
    const empty = sample();
    const turn = empty.conversation.turns[0];
    if (turn) turn.prompt = '  ';
    expect(issues(empty)).toEqual([
      ['conversations.0.conversation.turns.0.prompt', 'A prompt cannot be empty'],
    ]);
  });
});
