/** The one author of SQL over api_keys (schema.sql). Secrets never reach this module, only their hashes. */
import type { NewKey } from '../auth/keyRequest';
import { flag, json, plain, rowMapping, type StoredRow } from './columns';

export interface StoredKey extends NewKey {
  keyId: string;
  revokedAt: string | null;
  createdAt: string;
}

/** Every column but key_hash: the hash is looked up by, never handed out. */
const keyRows = rowMapping<StoredKey>({
  keyId: plain('key_id'),
  name: plain('name'),
  kind: plain('kind'),
  scopes: json('scopes'),
  idPatterns: json('id_patterns'),
  ownedOnly: flag('owned_only'),
  expiresAt: plain('expires_at'),
  revokedAt: plain('revoked_at'),
  createdAt: plain('created_at'),
});
const COLUMNS = keyRows.names.join(', ');

/**
 * The insert of a new key; it inserts nothing when a key that is not revoked already has its
 * name (the unique partial index backs this up against two concurrent creations). `issuedFor`:
 * the trust policy that issues it and the OIDC token it is exchanged for, whose row the same batch
 * inserts only while the policy allows it (src/store/trust.ts): no row, no key.
 */
export function insertKeyStatement(
  db: D1Database,
  keyHash: string,
  stored: StoredKey,
  issuedFor: { policyId: string; jti: string } | null = null,
): D1PreparedStatement {
  const values = [keyHash, ...keyRows.encode(stored), issuedFor?.policyId ?? null];
  // ?1 is key_hash, then the columns in table order, then policy_id (and the jti).
  const name = keyRows.names.indexOf('name') + 2;
  const token = issuedFor
    ? ` AND EXISTS (SELECT 1 FROM oidc_tokens WHERE jti = ?${values.length + 1} AND policy_id = ?${values.length})`
    : '';
  return db
    .prepare(
      `INSERT INTO api_keys (key_hash, ${COLUMNS}, policy_id)
       SELECT ${values.map((_, i) => `?${i + 1}`).join(', ')}
       WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE name = ?${name} AND revoked_at IS NULL)${token}`,
    )
    .bind(...values, ...(issuedFor ? [issuedFor.jti] : []));
}

/** Stores a new key; null when a key that is not revoked already has its name. */
export async function insertKey(
  db: D1Database,
  keyHash: string,
  keyId: string,
  key: NewKey,
  createdAt: string,
): Promise<StoredKey | null> {
  const stored: StoredKey = { ...key, keyId, revokedAt: null, createdAt };
  const result = await insertKeyStatement(db, keyHash, stored).run();
  return result.meta.changes === 1 ? stored : null;
}

/** The key whose secret hashes to keyHash (the primary key: one indexed lookup). */
export async function findKeyByHash(db: D1Database, keyHash: string): Promise<StoredKey | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`).bind(keyHash).first<StoredRow>();
  return row ? keyRows.decode(row) : null;
}

export async function listKeys(db: D1Database): Promise<StoredKey[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, name`).all<StoredRow>();
  return results.map(keyRows.decode);
}

/** Revokes the key with this key id, or the key not yet revoked with this name; the keys it revoked. */
export async function revokeKey(db: D1Database, nameOrId: string, revokedAt: string): Promise<StoredKey[]> {
  const { results } = await db
    .prepare(
      `UPDATE api_keys SET revoked_at = ?1
       WHERE revoked_at IS NULL AND (key_id = ?2 OR name = ?2)
       RETURNING ${COLUMNS}`,
    )
    .bind(revokedAt, nameOrId)
    .all<StoredRow>();
  return results.map(keyRows.decode);
}

/** Revokes every key a trust policy issued, in the batch that removes the policy. */
export function revokePolicyKeysStatement(db: D1Database, policyId: string, revokedAt: string): D1PreparedStatement {
  return db
    .prepare('UPDATE api_keys SET revoked_at = ?1 WHERE policy_id = ?2 AND revoked_at IS NULL')
    .bind(revokedAt, policyId);
}

/**
 * The repair pass drops keys trusted publishing issued once they are a week past their expiry:
 * every workflow run mints one, and `keys list` would otherwise grow by one row per run.
 */
export async function forgetExpiredIssuedKeys(db: D1Database, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  await db.prepare('DELETE FROM api_keys WHERE policy_id IS NOT NULL AND expires_at < ?').bind(cutoff).run();
}
