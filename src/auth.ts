/**
 * Credentials. Writes carry an API key in `X-NuGet-ApiKey` (protocol §2.2), checked before the body
 * is read (§2.4 step 1) so a refused push costs no upload. A key is either the bootstrap admin key
 * (the NUGET_API_KEY secret) or a stored key (src/store/apiKeys.ts), found by the SHA-256 of the
 * secret. Private feeds take the same secrets as Basic passwords for reads (src/auth/privateFeed.ts).
 *
 * Unknown, revoked and expired keys get 401, never 403: the client answers a 401 by looking for
 * configured credentials, and a 403 sent to a request without a key would start credential prompting
 * instead (§2.2, pitfall 11). A valid key acting outside its scopes gets 403 (src/nuget/keyScopes.ts).
 */
import type { Env } from './env';
import { ADMIN_GRANT, keyProblem, type KeyGrant } from './nuget/keyScopes';
import { fail, type Failure } from './problems';
import { findKeyByHash } from './store/apiKeys';

const API_KEY_HEADER = 'X-NuGet-ApiKey';
const INVALID_KEY = 'A valid API key is required: pass it with -k / X-NuGet-ApiKey.';

/** The admin key check, for key management and other admin endpoints: null when the request carries NUGET_API_KEY. */
export async function authenticate(request: Request, env: Pick<Env, 'NUGET_API_KEY'>): Promise<Failure | null> {
  const expected = env.NUGET_API_KEY;
  if (!expected) {
    return fail(
      'unauthorized',
      'This feed has no admin key configured (NUGET_API_KEY), so its admin actions are refused.',
    );
  }
  const given = request.headers.get(API_KEY_HEADER);
  if (given === null || !(await isAdminKey(await sha256(given), expected))) return fail('unauthorized', INVALID_KEY);
  return null;
}

/** What the request's API key may do: the admin key, a stored key, or the 401 to answer. */
export async function authenticatePublisher(
  request: Request,
  env: Pick<Env, 'DB' | 'NUGET_API_KEY'>,
  now: Date,
): Promise<KeyGrant | Failure> {
  const given = request.headers.get(API_KEY_HEADER);
  if (given === null) return fail('unauthorized', INVALID_KEY);
  return grantForSecret(given, env, now);
}

/**
 * The admin key is compared in constant time. A stored key is looked up by its hash: the lookup
 * compares hashes, which an attacker cannot steer byte by byte, so its timing reveals nothing
 * about any secret.
 */
export async function grantForSecret(
  secret: string,
  env: Pick<Env, 'DB' | 'NUGET_API_KEY'>,
  now: Date,
): Promise<KeyGrant | Failure> {
  const hash = await sha256(secret);
  if (env.NUGET_API_KEY && (await isAdminKey(hash, env.NUGET_API_KEY))) return ADMIN_GRANT;
  const key = await findKeyByHash(env.DB, toHex(hash));
  if (!key) return fail('unauthorized', INVALID_KEY);
  const problem = keyProblem(key, now);
  if (problem) return problem;
  return { name: key.name, scopes: key.scopes, idPatterns: key.idPatterns, ownedOnly: key.ownedOnly };
}

/** The stored form of a secret (schema.sql, api_keys.key_hash). */
export async function secretHash(secret: string): Promise<string> {
  return toHex(await sha256(secret));
}

/** Hashing both sides gives them one length, so timingSafeEqual neither throws nor leaks the key's length. */
async function isAdminKey(givenHash: ArrayBuffer, adminKey: string): Promise<boolean> {
  return crypto.subtle.timingSafeEqual(givenHash, await sha256(adminKey));
}

function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
