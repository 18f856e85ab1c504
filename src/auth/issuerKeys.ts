/**
 * The signing key a token names, from its issuer's OpenID discovery document and JWKS. Only the
 * configured issuer is ever asked (oidcClaims.ts checks `iss` first), with a timeout, and its
 * JWKS must be served from the issuer's own origin, so a token cannot send the Worker elsewhere.
 */
import { cachedIssuerKeys, storeIssuerKeys } from '../store/issuerKeyCache';
import type { RsaJwk } from './jwt';

const FETCH_TIMEOUT_MS = 5_000;

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function rsaKeys(jwks: unknown): RsaJwk[] {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.flatMap((key) => {
    const { kty, kid, n, e } = (key ?? {}) as Record<string, unknown>;
    return kty === 'RSA' && typeof kid === 'string' && typeof n === 'string' && typeof e === 'string'
      ? [{ kty, kid, n, e }]
      : [];
  });
}

async function fetchKeys(issuer: string): Promise<RsaJwk[]> {
  const discovery = (await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)) as {
    jwks_uri?: unknown;
  };
  const jwksUri = typeof discovery?.jwks_uri === 'string' ? discovery.jwks_uri : '';
  if (!jwksUri || new URL(jwksUri).origin !== new URL(issuer).origin)
    throw new Error(`${issuer} names no JWKS of its own`);
  return rsaKeys(await fetchJson(jwksUri));
}

/** The issuer's key `kid`; null when the issuer has none by that id, even after fetching its keys again. */
export async function issuerKey(cache: Cache, issuer: string, kid: string, now: Date): Promise<RsaJwk | null> {
  const cached = await cachedIssuerKeys(cache, issuer, now);
  const known = cached?.keys.find((key) => key.kid === kid);
  if (known) return known;
  // A kid the copy lacks may be a key the issuer rotated in: looked for again once the copy is a minute old.
  if (cached && !cached.mayRefetch) return null;
  const keys = await fetchKeys(issuer);
  await storeIssuerKeys(cache, issuer, keys, now);
  return keys.find((key) => key.kid === kid) ?? null;
}
