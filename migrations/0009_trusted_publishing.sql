-- 0009 (issue 18): trusted publishing, GitHub Actions' OIDC tokens exchanged for short-lived API
-- keys (src/auth/trustedPublishing.ts). schema.sql holds the full schema after this migration.

-- Who may exchange a token: the user a workflow names (NuGet/login's `user`), the repository and
-- workflow file the token must come from, and what the issued key may do. The owner's and the
-- repository's numeric ids are pinned by the first token that matches: a repository deleted and
-- created again under the same name gets new ids, and no trust.
CREATE TABLE IF NOT EXISTS trust_policies (
  policy_id      TEXT PRIMARY KEY,
  username       TEXT NOT NULL,
  owner          TEXT NOT NULL,
  owner_id       TEXT,
  repository     TEXT NOT NULL,
  repository_id  TEXT,
  workflow       TEXT NOT NULL,
  environment    TEXT NOT NULL DEFAULT '',
  id_patterns    TEXT NOT NULL,
  scopes         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  validate_by    TEXT NOT NULL,
  revoked_at     TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trust_policies_user ON trust_policies (username, created_at);

-- The policy an API key was issued by; removing the policy revokes its keys.
ALTER TABLE api_keys ADD COLUMN policy_id TEXT;
CREATE INDEX IF NOT EXISTS api_keys_policy ON api_keys (policy_id) WHERE policy_id IS NOT NULL;

-- Each OIDC token is exchanged once: its jti is inserted in the batch that stores the new key, so
-- of two exchanges of one token exactly one commits.
CREATE TABLE IF NOT EXISTS oidc_tokens (
  jti         TEXT PRIMARY KEY,
  expires_at  TEXT NOT NULL,
  policy_id   TEXT NOT NULL
) WITHOUT ROWID;
