import type {
  TConversationExport,
  TExportedAnswer,
  TExportedFile,
  TExportFormat,
} from '../schemas/conversation-export';

/**
 * Conversations as files (issue 17): Markdown to read or paste, the versioned JSON document that
 * `conversations.import` reads back, and one self-contained HTML page (inline CSS, no scripts, every
 * piece of text escaped). Pure functions, so the API and the CLI render the same files.
 */

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export type ModelNames = Readonly<Record<string, string>>;

function titleOf(doc: TConversationExport): string {
  const { title, turns } = doc.conversation;
  if (title) return title;
  const flat = (turns[0]?.prompt ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat || 'Untitled';
}

const nameOf = (names: ModelNames, id: string) => names[id] ?? id;

/** `compareintel-<title slug>-<YYYY-MM-DD>.<ext>`: safe on every file system. */
export function exportFilename(doc: TConversationExport, format: TExportFormat): string {
  const slug =
    titleOf(doc)
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'conversation';
  const day = doc.conversation.createdAt.slice(0, 10);
  const extension = format === 'markdown' ? 'md' : format;
  return `compareintel-${slug}-${day}.${extension}`;
}

/** "done · 12 in / 40 out tokens · first token 310 ms · 0.9 s total · 0.42 credits" */
export function metricsLine(answer: TExportedAnswer): string {
  const { inputTokens, outputTokens, ttftMs, durationMs, credits } = answer.metrics;
  const parts: string[] = [
    answer.status === 'done' ? 'done' : `${answer.status}: ${answer.error ?? ''}`.trim(),
  ];
  if (inputTokens !== null || outputTokens !== null)
    parts.push(`${inputTokens ?? '—'} in / ${outputTokens ?? '—'} out tokens`);
  if (ttftMs !== null) parts.push(`first token ${ttftMs} ms`);
  if (durationMs !== null) parts.push(`${(durationMs / 1000).toFixed(1)} s total`);
  if (credits !== null) parts.push(`${credits} credits`);
  return parts.join(' · ');
}

export function renderExportJson(doc: TConversationExport): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderExportMarkdown(doc: TConversationExport, names: ModelNames = {}): string {
  const { conversation } = doc;
  const lines: string[] = [
    `# ${titleOf(doc).replace(/\s+/g, ' ')}`,
    '',
    `_CompareIntel ${conversation.type} · ${conversation.createdAt.slice(0, 10)} · ${conversation.models
      .map((id) => nameOf(names, id))
      .join(', ')}_`,
  ];
  conversation.turns.forEach((turn, index) => {
    lines.push(
      '',
      `## Prompt ${index + 1}`,
      '',
      ...turn.prompt.split('\n').map((line) => `> ${line}`.trimEnd()),
    );
    for (const modelId of conversation.models) {
      const answer = turn.answers[modelId];
      if (!answer) continue;
      lines.push('', `### ${nameOf(names, modelId)} (\`${modelId}\`)`, '', `_${metricsLine(answer)}_`, '');
      lines.push(answer.text.trim() || '_(no text)_');
      if (answer.sources.length > 0) {
        lines.push(
          '',
          'Sources:',
          ...answer.sources.map((s, i) => `${i + 1}. [${s.title || s.url}](${s.url})`),
        );
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

/** Only web addresses become links; anything else (javascript:, data:) stays text. */
function safeHref(url: string): string | null {
  return /^https?:\/\//i.test(url) ? url : null;
}

function answerHtml(answer: TExportedAnswer): string {
  const sources = answer.sources.length
    ? `<ol class="sources">${answer.sources
        .map((source) => {
          const href = safeHref(source.url);
          const label = escapeHtml(source.title || source.url);
          return href
            ? `<li><a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a></li>`
            : `<li>${label}</li>`;
        })
        .join('')}</ol>`
    : '';
  return `<p class="metrics${answer.status === 'done' ? '' : ' failed'}">${escapeHtml(metricsLine(answer))}</p><pre>${escapeHtml(answer.text)}</pre>${sources}`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:24px;color:#1d1d1f;background:#f6f6f7}
h1{font-size:22px;margin:0 0 4px}.meta{color:#666;margin:0 0 24px}
.turn{margin-bottom:32px}.prompt{background:#fff;border-left:4px solid #4f46e5;padding:12px 16px;white-space:pre-wrap;margin:0 0 12px}
.columns{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(300px,1fr);gap:12px;overflow-x:auto}
.column{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px;min-width:0}
.column h3{font-size:15px;margin:0}.model-id{color:#888;font-size:12px}
.metrics{color:#555;font-size:12px;margin:4px 0 8px}.metrics.failed{color:#b42318}
pre{white-space:pre-wrap;word-wrap:break-word;font:inherit;margin:0}.sources{font-size:13px}
@media (prefers-color-scheme:dark){body{background:#151517;color:#eee}.prompt,.column{background:#1f1f23;border-color:#333}}`;

export function renderExportHtml(doc: TConversationExport, names: ModelNames = {}): string {
  const { conversation } = doc;
  const title = escapeHtml(titleOf(doc));
  const turns = conversation.turns
    .map((turn, index) => {
      const columns = conversation.models
        .map((modelId) => {
          const answer = turn.answers[modelId];
          const heading = `<h3>${escapeHtml(nameOf(names, modelId))}</h3><div class="model-id">${escapeHtml(modelId)}</div>`;
          return `<section class="column">${heading}${answer ? answerHtml(answer) : '<p class="metrics">No answer to this prompt.</p>'}</section>`;
        })
        .join('');
      return `<div class="turn"><h2 class="meta">Prompt ${index + 1}</h2><blockquote class="prompt">${escapeHtml(turn.prompt)}</blockquote><div class="columns">${columns}</div></div>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — CompareIntel</title><style>${STYLE}</style></head>
<body><h1>${title}</h1><p class="meta">CompareIntel ${escapeHtml(conversation.type)} · ${escapeHtml(conversation.createdAt.slice(0, 10))} · exported ${escapeHtml(doc.exportedAt.slice(0, 10))}</p>
${turns}
</body></html>
`;
}

const MIME_TYPES: Record<TExportFormat, string> = {
  markdown: 'text/markdown; charset=utf-8',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

/** The file for one format: its name, MIME type and text. */
export function renderConversationExport(
  doc: TConversationExport,
  format: TExportFormat,
  names: ModelNames = {},
): TExportedFile {
  const content =
    format === 'json'
      ? renderExportJson(doc)
      : format === 'markdown'
        ? renderExportMarkdown(doc, names)
        : renderExportHtml(doc, names);
  return { filename: exportFilename(doc, format), mimeType: MIME_TYPES[format], content };
}
