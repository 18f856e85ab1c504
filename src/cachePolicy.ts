/**
 * The one caching policy: which Cache-Control each response carries, its strong ETag, and the
 * answer to If-None-Match. The official client ignores all of it for its own http-cache
 * (protocol §11.3); it is for Cloudflare's cache (src/store/edgeCache.ts), proxies, browsers and
 * clients that revalidate.
 */

/** A version's .nupkg, .nuspec, readme and icon: written once, never rewritten (src/store/blobs.ts). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Everything derived from D1: the service index, flat version lists and every registration
 * document. Short, because a change is purged only from the Cache API of the data centre and
 * hostname it was written through (src/store/edgeCache.ts); other copies age out within this.
 *
 * Registration leaves get this policy too, although the issue lists them with the immutable
 * files: a leaf carries `listed` and `published`, which unlist and relist change (protocol
 * §2.5, §4.6, §11.3), and `immutable` would keep the old state in caches for a year.
 */
export const SHORT_LIVED = 'public, max-age=60';

/** Hex of the first 16 bytes of SHA-256: a content hash, short enough for KV metadata. */
export async function contentTag(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest, 0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A strong entity tag of its parts, e.g. `"<hash>-semver2-gz-gz"`: one value per representation. */
export function entityTag(...parts: string[]): string {
  return `"${parts.join('-')}"`;
}

/**
 * Whether If-None-Match matches `etag` (RFC 9110 §13.1.2): `*` matches any current
 * representation; otherwise a list of tags compared weakly, so `W/"x"` matches `"x"`. That
 * matters here: Cloudflare weakens the ETag of a response it compresses on the way out.
 * Tags are matched whole, not split at commas, which an entity tag may contain.
 */
export function noneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => tag.replace(/^W\//, '') === opaque);
}

/** What a cacheable response carries for caches, on its 200 and on its 304 alike. */
export interface Validators {
  etag: string;
  cacheControl: string;
  /** `Accept-Encoding` where the encoding is chosen per request (the gzip hives). */
  vary?: string;
}

export function validatorHeaders(v: Validators): Record<string, string> {
  return { ETag: v.etag, 'Cache-Control': v.cacheControl, ...(v.vary ? { Vary: v.vary } : {}) };
}

/** A 304 when the client's copy is current, else null. RFC 9110 §15.4.5: it repeats the caching headers. */
export function notModified(request: Request, v: Validators): Response | null {
  if (!noneMatch(request.headers.get('If-None-Match'), v.etag)) return null;
  return new Response(null, { status: 304, headers: validatorHeaders(v) });
}
