/**
 * Creates API keys and read tokens. The secret is 32 random bytes, base64url, behind a prefix
 * that names its kind (and lets secret scanners recognise it); it is returned once and only its
 * hash is stored.
 */
import { secretHash } from '../auth';
import type { KeyKind } from '../nuget/keyScopes';
import { fail, type Failure } from '../problems';
import { insertKey, type StoredKey } from '../store/apiKeys';
import type { NewKey } from './keyRequest';

const PREFIX: Record<KeyKind, string> = { api: 'eg_', read: 'egr_' };
const SECRET_BYTES = 32;

export interface IssuedKey {
  /** The secret: shown to the caller now and never again. */
  token: string;
  key: StoredKey;
}

/** A new key's secret, its public id and the hash stored for it; nothing is stored yet. */
export async function mintKey(request: NewKey, now: Date): Promise<IssuedKey & { keyHash: string }> {
  const token = PREFIX[request.kind] + base64url(randomBytes(SECRET_BYTES));
  const keyId = randomHex(6);
  const key: StoredKey = { ...request, keyId, revokedAt: null, createdAt: now.toISOString() };
  return { token, key, keyHash: await secretHash(token) };
}

export function randomHex(bytes: number): string {
  return Array.from(randomBytes(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function issueKey(db: D1Database, request: NewKey, now: Date): Promise<IssuedKey | Failure> {
  const { token, key: minted, keyHash } = await mintKey(request, now);
  const key = await insertKey(db, keyHash, minted.keyId, request, now.toISOString());
  if (!key) {
    return fail('conflict', `A key named '${request.name}' already exists; revoke it first or choose another name.`);
  }
  return { token, key };
}

function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
