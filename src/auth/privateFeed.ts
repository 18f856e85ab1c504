/**
 * Private feeds (PRIVATE_FEED = "true"): every read needs credentials. NuGet.Config's
 * packageSourceCredentials reach a feed only as HTTP Basic auth, and only in answer to a 401 that
 * names the Basic scheme (protocol §11.8, pitfall 12); any user name is accepted, the password
 * is a read token or an API key.
 *
 * The client sends every request once without credentials first (PreAuthenticate is off, §11.8),
 * so the anonymous 401 is answered from the headers alone, before any storage is touched. Reads
 * never get 403: to a request without credentials it means "prompt for some" (§2.2).
 *
 * Writes and admin endpoints pass through: they carry X-NuGet-ApiKey and check it themselves, so a
 * push needs no Basic credentials (§11.8: "accept a valid API key alone for writes").
 */
import { grantForSecret } from '../auth';
import type { Env } from '../env';
import { isAdminPath, isOpenPath } from '../links';
import { fail, failureResponse, isFailure } from '../problems';

const CHALLENGE = 'Basic realm="EdgeGet", charset="UTF-8"';
const NO_CREDENTIALS =
  'This feed is private: give it credentials (packageSourceCredentials in NuGet.Config) with a read token or API key as the password.';

export function isPrivateFeed(env: Pick<Env, 'PRIVATE_FEED'>): boolean {
  return env.PRIVATE_FEED?.trim().toLowerCase() === 'true';
}

/** The 401 to answer a read of a private feed, or null when the request may proceed. */
export async function guardRead(
  request: Request,
  env: Pick<Env, 'PRIVATE_FEED' | 'DB' | 'NUGET_API_KEY'>,
  now: Date,
): Promise<Response | null> {
  if (!isPrivateFeed(env) || !isFeedRead(request)) return null;
  const password = basicPassword(request.headers.get('Authorization'));
  if (password === null || password === '') return challenge(NO_CREDENTIALS);
  const grant = await grantForSecret(password, env, now);
  return isFailure(grant) ? challenge(grant.message) : null;
}

/**
 * Responses of a private feed are for one credential holder: `private` keeps shared caches
 * (proxies, CDNs) from storing them and serving them to anyone (RFC 9111 §5.2.2.7).
 */
export function keepPrivate(response: Response, env: Pick<Env, 'PRIVATE_FEED'>): Response {
  if (!isPrivateFeed(env)) return response;
  const kept = new Response(response.body, response);
  const directives = (kept.headers.get('Cache-Control') ?? '')
    .split(',')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^(public|private|s-maxage=.*)$/i.test(directive));
  kept.headers.set('Cache-Control', ['private', ...directives].join(', '));
  return kept;
}

/** A read the gate guards: not an admin endpoint (its own key checks it), nor an open path (robots.txt). */
function isFeedRead(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const { pathname } = new URL(request.url);
  return !isAdminPath(pathname) && !isOpenPath(pathname);
}

/** The password of `Authorization: Basic base64(user:password)` (RFC 7617), or null. */
export function basicPassword(header: string | null): string | null {
  const match = header === null ? null : /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  if (!match) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

function challenge(message: string): Response {
  const response = failureResponse(fail('unauthorized', message));
  response.headers.set('WWW-Authenticate', CHALLENGE);
  return response;
}
