/**
 * How the gallery's pages are answered: HTML with a strong ETag (304 on a match) and the short
 * cache policy of every D1-derived response, and a Content-Security-Policy that lets a page run
 * only the feed's own script and style and load images only from the feed or over https. A
 * README that got markup past the renderer could still run nothing.
 */
import { contentTag, entityTag, notModified, SHORT_LIVED, type Validators, validatorHeaders } from '../cachePolicy';
import type { Env } from '../env';
import type { GalleryContext } from '../gallery/layout';
import { missingPageHtml } from '../gallery/statusPages';
import { feedLinks, originOf } from '../links';
import { isPrivateFeed } from '../auth/privateFeed';
import { type Failure, failureStatus } from '../problems';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

export function galleryContext(request: Request, env: Env): GalleryContext {
  return {
    feedName: env.FEED_NAME?.trim() || 'EdgeGet',
    links: feedLinks(originOf(request)),
    privateFeed: isPrivateFeed(env),
  };
}

/** A text body with validators: the pages, and the styles, script and images they use. */
export async function cachedText(
  request: Request,
  body: string,
  contentType: string,
  cacheControl = SHORT_LIVED,
): Promise<Response> {
  const validators: Validators = { etag: entityTag(await contentTag(body)), cacheControl };
  const headers = { ...validatorHeaders(validators), ...SECURITY_HEADERS };
  const unchanged = notModified(request, validators);
  if (unchanged) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) unchanged.headers.set(name, value);
    return unchanged;
  }
  return new Response(body, { headers: { ...headers, 'Content-Type': contentType } });
}

export function htmlPage(request: Request, html: string): Promise<Response> {
  return cachedText(request, html, 'text/html; charset=utf-8');
}

/** A 404 or 400 page: not cached, with a search box seeded with what was asked for. */
export function missingPage(ctx: GalleryContext, f: Failure, query: string): Response {
  const heading = f.failure === 'notFound' ? 'Package not found' : 'Bad package address';
  return new Response(missingPageHtml(ctx, heading, f.message, query), {
    status: failureStatus(f),
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
  });
}
