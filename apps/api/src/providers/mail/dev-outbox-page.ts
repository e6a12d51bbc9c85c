import type { OutboxMail } from './dev-outbox';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** GET /dev/mail: the development outbox as a page with clickable links (newest first). */
export function renderOutboxPage(mails: readonly OutboxMail[]): string {
  const items = mails.map(
    (mail) => `<article>
  <h2>${escapeHtml(mail.subject)}</h2>
  <p class="meta">#${mail.id} · to <b>${escapeHtml(mail.to)}</b> · ${escapeHtml(mail.sentAt)}</p>
  <ul>${mail.links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join('')}</ul>
  <details><summary>Text</summary><pre>${escapeHtml(mail.text)}</pre></details>
</article>`,
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Dev mail · CompareIntel</title>
<style>body{font-family:system-ui,sans-serif;max-width:800px;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ddd;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.meta{color:#555;font-size:.9em}pre{white-space:pre-wrap}</style></head>
<body><h1>Development outbox</h1>
<p>Mail the API would have sent (SMTP_URL is not set). Newest first; kept in memory until the API restarts.
Also as <a href="?format=json">JSON</a>.</p>
${items.length > 0 ? items.join('\n') : '<p><i>No mail yet.</i></p>'}
</body></html>`;
}
