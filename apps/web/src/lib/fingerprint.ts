/**
 * The anonymous visitor's browser fingerprint (PRODUCT.md): SHA-256 hex of stable browser traits. It
 * only helps the API count a visitor's daily credits; null where Web Crypto is unavailable (plain http).
 */
let pending: Promise<string | null> | null = null;

function traits(): string {
  const nav = window.navigator;
  return [
    nav.userAgent,
    nav.language,
    (nav.languages ?? []).join(','),
    String(nav.hardwareConcurrency ?? ''),
    String(nav.maxTouchPoints ?? ''),
    `${window.screen.width}x${window.screen.height}x${window.screen.colorDepth}`,
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  ].join('|');
}

async function compute(): Promise<string | null> {
  const subtle = window.crypto?.subtle;
  if (!subtle) return null;
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(traits()));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

export function browserFingerprint(): Promise<string | null> {
  pending ??= compute();
  return pending;
}
