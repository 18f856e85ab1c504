/**
 * Key management for `npx edgeget keys`: POST /admin/keys creates an API key or read token and
 * answers its secret once; GET lists keys (never secrets or hashes); DELETE /admin/keys/{name|id}
 * revokes. Only the admin key (NUGET_API_KEY) may call them (docs/auth.md).
 */
import { issueKey } from '../auth/issueKey';
import { parseNewKey } from '../auth/keyRequest';
import { keyProblem } from '../nuget/keyScopes';
import { fail, failureResponse, isFailure } from '../problems';
import { jsonResponse } from '../respond';
import { adminRoute } from './adminRequest';
import { listKeys as storedKeys, revokeKey as revokeStoredKey, type StoredKey } from '../store/apiKeys';

/** A key as the CLI shows it; `state` is computed against the request time. */
function keyView(key: StoredKey, now: Date) {
  const state = key.revokedAt !== null ? 'revoked' : keyProblem(key, now) ? 'expired' : 'active';
  return {
    id: key.keyId,
    name: key.name,
    kind: key.kind,
    scopes: key.scopes,
    ids: key.idPatterns,
    ownedOnly: key.ownedOnly,
    expires: key.expiresAt,
    created: key.createdAt,
    revoked: key.revokedAt,
    state,
  };
}

export const createKey = adminRoute(async (request, env, _cache, { now }) => {
  const body: unknown = await request.json().catch(() => null);
  const wanted = parseNewKey(body, now);
  if (isFailure(wanted)) return failureResponse(wanted);
  const issued = await issueKey(env.DB, wanted, now);
  if (isFailure(issued)) return failureResponse(issued);
  return jsonResponse({ ...keyView(issued.key, now), key: issued.token }, { status: 201 });
});

export const listKeys = adminRoute(async (_request, env, _cache, { now }) =>
  jsonResponse({ keys: (await storedKeys(env.DB)).map((key) => keyView(key, now)) }),
);

export const revokeKey = adminRoute(async (request, env, _cache, { now }) => {
  // Names and ids are plain [A-Za-z0-9._-] (src/auth/keyRequest.ts): nothing to percent-decode.
  const ref = request.params.ref ?? '';
  const revoked = await revokeStoredKey(env.DB, ref, now.toISOString());
  if (revoked.length === 0) return failureResponse(fail('notFound', `No active key is named or has the id '${ref}'.`));
  return jsonResponse({ revoked: revoked.map((key) => keyView(key, now)) });
});
