/**
 * The one author of SQL over trust_policies and oidc_tokens (trusted publishing, issue 18): the
 * policies, and the batch that exchanges a token for a key. That batch inserts the token's jti,
 * whose primary key makes a second exchange of the same token fail as a whole: D1 is strongly
 * consistent, so of concurrent replays exactly one commits (KV could accept several).
 */
import type { NewTrustPolicy, TrustPolicy } from '../auth/trustPolicy';
import { type AuditEntry, auditStatement } from './auditLog';
import { insertKeyStatement, revokePolicyKeysStatement, type StoredKey } from './apiKeys';
import { json, plain, rowMapping, type StoredRow } from './columns';

const policyRows = rowMapping<TrustPolicy>({
  policyId: plain('policy_id'),
  username: plain('username'),
  owner: plain('owner'),
  ownerId: plain('owner_id'),
  repository: plain('repository'),
  repositoryId: plain('repository_id'),
  workflow: plain('workflow'),
  environment: plain('environment'),
  idPatterns: json('id_patterns'),
  scopes: json('scopes'),
  createdAt: plain('created_at'),
  validateBy: plain('validate_by'),
  revokedAt: plain('revoked_at'),
});
const COLUMNS = policyRows.names.join(', ');

export async function insertPolicy(
  db: D1Database,
  policy: NewTrustPolicy,
  policyId: string,
  audit: AuditEntry,
): Promise<TrustPolicy> {
  const stored: TrustPolicy = { ...policy, policyId, ownerId: null, repositoryId: null, revokedAt: null };
  await db.batch([
    db
      .prepare(`INSERT INTO trust_policies (${COLUMNS}) VALUES (${policyRows.names.map(() => '?').join(', ')})`)
      .bind(...policyRows.encode(stored)),
    auditStatement(db, audit),
  ]);
  return stored;
}

/** Every policy, removed ones too (`trust list` shows them as removed). */
export async function listPolicies(db: D1Database): Promise<TrustPolicy[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM trust_policies ORDER BY created_at`).all<StoredRow>();
  return results.map(policyRows.decode);
}

/** The policies a user's exchange may match: not removed, oldest first. */
export async function activePolicies(db: D1Database, username: string): Promise<TrustPolicy[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM trust_policies WHERE username = ? COLLATE NOCASE AND revoked_at IS NULL ORDER BY created_at`,
    )
    .bind(username)
    .all<StoredRow>();
  return results.map(policyRows.decode);
}

/** Removes a policy and revokes every key it issued, in one batch; null when there is no such active policy. */
export async function removePolicy(db: D1Database, policyId: string, audit: AuditEntry): Promise<TrustPolicy | null> {
  const [removed] = await db.batch([
    db
      .prepare(
        `UPDATE trust_policies SET revoked_at = ?1 WHERE policy_id = ?2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      )
      .bind(audit.at, policyId),
    revokePolicyKeysStatement(db, policyId, audit.at),
    auditStatement(db, audit),
  ]);
  const row = removed?.results[0] as StoredRow | undefined;
  return row ? policyRows.decode(row) : null;
}

/**
 * Stores the issued key with the token's jti, and pins the policy's ids on its first use, in one
 * batch. The jti row goes in only while the policy is still active and not pinned to other ids
 * (it may have been removed, or first used by another repository, since it was read), and the
 * key only with that row. 'used': the jti was exchanged before (its primary key rolled the batch
 * back); 'policy': the policy no longer lets this token in.
 */
export async function storeExchange(
  db: D1Database,
  exchange: {
    keyHash: string;
    key: StoredKey;
    policy: TrustPolicy;
    jti: string;
    tokenExpires: string;
    ownerId: string;
    repositoryId: string;
  },
): Promise<'stored' | 'used' | 'policy'> {
  const { keyHash, key, policy, jti } = exchange;
  let results: D1Result[];
  try {
    results = await db.batch([
      db
        .prepare(
          `INSERT INTO oidc_tokens (jti, expires_at, policy_id)
           SELECT ?1, ?2, ?3 WHERE EXISTS (
             SELECT 1 FROM trust_policies WHERE policy_id = ?3 AND revoked_at IS NULL
               AND (repository_id IS NULL OR (repository_id = ?4 AND owner_id = ?5)))`,
        )
        .bind(jti, exchange.tokenExpires, policy.policyId, exchange.repositoryId, exchange.ownerId),
      insertKeyStatement(db, keyHash, key, { policyId: policy.policyId, jti }),
      db
        .prepare(
          'UPDATE trust_policies SET owner_id = ?2, repository_id = ?3 WHERE policy_id = ?1 AND repository_id IS NULL',
        )
        .bind(policy.policyId, exchange.ownerId, exchange.repositoryId),
    ]);
  } catch (error) {
    const used = await db.prepare('SELECT 1 AS used FROM oidc_tokens WHERE jti = ?').bind(jti).first();
    if (used) return 'used';
    throw error;
  }
  if ((results[0]?.meta.changes ?? 0) === 0) return 'policy';
  if ((results[1]?.meta.changes ?? 0) === 0) throw new Error(`The key ${key.name} was not stored: its name is taken.`);
  return 'stored';
}

/**
 * The repair pass forgets the jtis of tokens past their expiry and the clock skew allowed on it
 * (src/auth/oidcClaims.ts): such a token is refused for its expiry, used or not.
 */
export async function forgetExpiredTokens(db: D1Database, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 10 * 60 * 1000).toISOString();
  await db.prepare('DELETE FROM oidc_tokens WHERE expires_at < ?').bind(cutoff).run();
}
