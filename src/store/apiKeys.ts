/** The one author of SQL over api_keys (schema.sql). Secrets never reach this module, only their hashes. */
import type { NewKey } from '../auth/keyRequest';
import type { KeyKind } from '../nuget/keyScopes';

export interface StoredKey extends NewKey {
  keyId: string;
  revokedAt: string | null;
  createdAt: string;
}

interface KeyRow {
  key_id: string;
  name: string;
  kind: KeyKind;
  scopes: string;
  id_patterns: string;
  owned_only: number;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** Every column but key_hash: the hash is looked up by, never handed out. */
const COLUMNS = 'key_id, name, kind, scopes, id_patterns, owned_only, expires_at, revoked_at, created_at';

function keyOf(row: KeyRow): StoredKey {
  return {
    keyId: row.key_id,
    name: row.name,
    kind: row.kind,
    scopes: JSON.parse(row.scopes),
    idPatterns: JSON.parse(row.id_patterns),
    ownedOnly: row.owned_only === 1,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

/**
 * Stores a new key; null when a key that is not revoked already has its name. The unique partial
 * index backs this check up against two concurrent creations.
 */
export async function insertKey(
  db: D1Database,
  keyHash: string,
  keyId: string,
  key: NewKey,
  createdAt: string,
): Promise<StoredKey | null> {
  const result = await db
    .prepare(
      `INSERT INTO api_keys (key_hash, ${COLUMNS})
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9
       WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE name = ?3 AND revoked_at IS NULL)`,
    )
    .bind(
      keyHash,
      keyId,
      key.name,
      key.kind,
      JSON.stringify(key.scopes),
      JSON.stringify(key.idPatterns),
      key.ownedOnly ? 1 : 0,
      key.expiresAt,
      createdAt,
    )
    .run();
  if (result.meta.changes !== 1) return null;
  return { ...key, keyId, revokedAt: null, createdAt };
}

/** The key whose secret hashes to keyHash (the primary key: one indexed lookup). */
export async function findKeyByHash(db: D1Database, keyHash: string): Promise<StoredKey | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`).bind(keyHash).first<KeyRow>();
  return row ? keyOf(row) : null;
}

export async function listKeys(db: D1Database): Promise<StoredKey[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, name`).all<KeyRow>();
  return results.map(keyOf);
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
    .all<KeyRow>();
  return results.map(keyOf);
}
