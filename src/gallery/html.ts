/**
 * The escaping and formatting every gallery builder writes with. Every string that came from a
 * package, a query or a URL goes through escapeHtml before it becomes markup; only http(s) URLs
 * become links, since a nuspec URL is untrusted and could be `javascript:`.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An absolute http(s) URL that parses, normalized by the URL parser; null for anything else. */
export function httpUrl(url: string, { httpsOnly = false } = {}): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  const allowed = httpsOnly ? parsed.protocol === 'https:' : /^https?:$/.test(parsed.protocol);
  return allowed ? parsed.href : null;
}

export function link(href: string, text: string, rel = ''): string {
  return `<a href="${escapeHtml(href)}"${rel ? ` rel="${rel}"` : ''}>${escapeHtml(text)}</a>`;
}

/** A link when the URL is http(s), else the URL as text; external links tell search engines nothing. */
export function urlOrText(url: string, text = url): string {
  const href = httpUrl(url);
  return href ? link(href, text, 'nofollow noopener') : escapeHtml(url);
}

/** 1234567 → "1,234,567": counts read the same way in every browser locale. */
export function formatCount(n: number): string {
  return Math.trunc(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A short, readable count for badges: 1234567 → "1.2M". */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const [value, unit] = n < 1e6 ? [n / 1e3, 'K'] : n < 1e9 ? [n / 1e6, 'M'] : [n / 1e9, 'B'];
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${unit}`;
}

/** The date of an ISO 8601 timestamp (UTC): "2026-12-01". The full time is in the element's datetime. */
export function dateElement(iso: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? iso;
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(day)}</time>`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KB'] : [bytes / 1024 ** 2, 'MB'];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** The version a user types: normalized, without build metadata (protocol §9.2). */
export function installVersion(version: string): string {
  return version.split('+')[0] ?? version;
}
