import { escapeHtml, type TSharedConversation } from '@compareintel/shared';

const DESCRIPTION_PROMPT_CHARS = 160;

function modelList(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "<start of the first prompt>" — answers from A, B and C. */
export function shareDescription(shared: TSharedConversation): string {
  const flat = (shared.prompts[0] ?? '').replace(/\s+/g, ' ').trim();
  const prompt =
    flat.length > DESCRIPTION_PROMPT_CHARS ? `${flat.slice(0, DESCRIPTION_PROMPT_CHARS)}…` : flat;
  const models = modelList(shared.models.map((model) => model.name));
  return models ? `“${prompt}” — answers from ${models}.` : `“${prompt}”`;
}

/**
 * The web app's index.html with a shared page's head: its own title, description and OpenGraph tags
 * (link previews in chats and social sites read these without running scripts), and noindex, since a
 * link is shared with some people, not published to search engines. Every value is HTML-escaped.
 */
export function withSharePageHead(indexHtml: string, shared: TSharedConversation, pageUrl: string): string {
  const title = `${shared.title} — CompareIntel shared comparison`;
  const description = shareDescription(shared);
  const tags = [
    `<title>${escapeHtml(title)}</title>`,
    `<meta name="description" content="${escapeHtml(description)}" />`,
    '<meta name="robots" content="noindex" />',
    `<meta property="og:title" content="${escapeHtml(title)}" />`,
    `<meta property="og:description" content="${escapeHtml(description)}" />`,
    '<meta property="og:type" content="article" />',
    `<meta property="og:url" content="${escapeHtml(pageUrl)}" />`,
    '<meta property="og:site_name" content="CompareIntel" />',
  ].join('\n    ');
  const withoutDefaults = indexHtml
    .replace(/<title>[\s\S]*?<\/title>\s*/i, '')
    .replace(/<meta\s+name="description"[^>]*>\s*/i, '');
  return withoutDefaults.replace(/<\/head>/i, `    ${tags}\n  </head>`);
}
