/**
 * The OIDC issuer's signing keys in the Workers Cache API, so an exchange does not fetch the
 * issuer's discovery document and JWKS every time. Cached per data centre for an hour (GitHub
 * publishes a new key before it signs with it); a token naming a kid the copy lacks makes the
 * caller fetch again once the copy is REFETCH_SECONDS old. That bounds what tokens with made-up
 * kids can make the Worker fetch, without letting one of them hold off a real rotation for long.
 * On *.workers.dev the cache stores nothing, and every exchange fetches: still correct.
 */
import type { RsaJwk } from '../auth/jwt';

const KEYS_SECONDS = 3600;
const REFETCH_SECONDS = 60;
/** Cache keys must be URLs; this host is never fetched. */
const cacheUrl = (issuer: string) => `https://oidc-keys.edgeget.invalid/keys?issuer=${encodeURIComponent(issuer)}`;

export interface CachedKeys {
  keys: RsaJwk[];
  /** Whether a kid the keys lack may be looked for at the issuer again. */
  mayRefetch: boolean;
}

export async function cachedIssuerKeys(cache: Cache, issuer: string, now: Date): Promise<CachedKeys | null> {
  const hit = await cache.match(cacheUrl(issuer));
  if (!hit) return null;
  const { keys, fetchedAt } = (await hit.json()) as { keys: RsaJwk[]; fetchedAt: number };
  return { keys, mayRefetch: now.getTime() - fetchedAt >= REFETCH_SECONDS * 1000 };
}

export async function storeIssuerKeys(cache: Cache, issuer: string, keys: readonly RsaJwk[], now: Date): Promise<void> {
  const headers = { 'Cache-Control': `max-age=${KEYS_SECONDS}`, 'Content-Type': 'application/json' };
  await cache.put(cacheUrl(issuer), new Response(JSON.stringify({ keys, fetchedAt: now.getTime() }), { headers }));
}
