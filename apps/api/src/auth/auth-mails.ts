import type { AppConfig } from '../env';
import type { MailMessage } from '../providers/mail';

/** A link into the web app, e.g. `${APP_URL}/verify-email?token=…`. */
export function appLink(config: Pick<AppConfig, 'APP_URL'>, path: string, token?: string): string {
  const base = config.APP_URL.replace(/\/+$/, '');
  return token === undefined ? `${base}${path}` : `${base}${path}?token=${encodeURIComponent(token)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

interface MailContent {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer: string;
}

/** One plain-text and one HTML rendering of the same words. */
function render(to: string, content: MailContent): MailMessage {
  const { subject, paragraphs, action, footer } = content;
  const text = [
    ...paragraphs,
    ...(action ? [`${action.label}: ${action.url}`] : []),
    footer,
    '— CompareIntel',
  ].join('\n\n');
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 18px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="font-size:12px;color:#555">Or paste this link into your browser:<br>${escapeHtml(action.url)}</p>`
    : '';
  const html = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px">
${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${button}
<p style="font-size:12px;color:#555">${escapeHtml(footer)}</p>
<p>— CompareIntel</p>
</body></html>`;
  return { to, subject, text, html };
}

export function verificationMail(config: Pick<AppConfig, 'APP_URL'>, to: string, token: string): MailMessage {
  return render(to, {
    subject: 'Confirm your email for CompareIntel',
    paragraphs: [
      'Welcome to CompareIntel! Please confirm that this is your email address.',
      'Until you do, your account has the same limits as a visitor without an account.',
    ],
    action: { label: 'Confirm my email', url: appLink(config, '/verify-email', token) },
    footer: 'The link works once and expires in 24 hours. If you did not sign up, ignore this mail.',
  });
}

/** Sent instead of a second account, so sign-up never reveals that an email is registered. */
export function existingAccountMail(config: Pick<AppConfig, 'APP_URL'>, to: string): MailMessage {
  return render(to, {
    subject: 'You already have a CompareIntel account',
    paragraphs: [
      'Someone (hopefully you) tried to create a CompareIntel account with this email address, but it already has one.',
      `You can sign in at ${appLink(config, '/signin')}.`,
    ],
    action: { label: 'Reset my password', url: appLink(config, '/forgot-password') },
    footer: 'If this was not you, you can ignore this mail: nothing has changed.',
  });
}

export function passwordResetMail(
  config: Pick<AppConfig, 'APP_URL'>,
  to: string,
  token: string,
): MailMessage {
  return render(to, {
    subject: 'Reset your CompareIntel password',
    paragraphs: ['We received a request to reset the password of your CompareIntel account.'],
    action: { label: 'Choose a new password', url: appLink(config, '/reset-password', token) },
    footer:
      'The link works once and expires in 1 hour. If you did not ask for it, ignore this mail: your password stays as it is.',
  });
}

export function passwordChangedMail(config: Pick<AppConfig, 'APP_URL'>, to: string): MailMessage {
  return render(to, {
    subject: 'Your CompareIntel password was changed',
    paragraphs: [
      'The password of your CompareIntel account was just changed, and your other sessions were signed out.',
    ],
    action: { label: 'Not you? Reset your password', url: appLink(config, '/forgot-password') },
    footer: 'If you made this change, there is nothing more to do.',
  });
}
