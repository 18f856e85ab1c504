-- EdgeGet D1 schema. D1 is the source of truth: every KV document can be rebuilt from these tables.
-- This file is the FULL schema after every migration in migrations/ (0001_schema.sql is the
-- first version of it, 0002_… and later change it). A schema change is a new migration file
-- plus the same change here, so this file stays equal to the result of applying them all.

-- One row per package id. `generation` is bumped in the same batch as every change to the id's
-- versions; the page rebuilder writes KV until the pages it wrote carry the current generation
-- (KV has no compare-and-set, see src/documents/rebuild.ts).
CREATE TABLE IF NOT EXISTS package_registrations (
  lower_id    TEXT PRIMARY KEY,
  id          TEXT NOT NULL,              -- casing of the first push (protocol §10.1)
  generation  INTEGER NOT NULL DEFAULT 0,
  owner       TEXT                        -- name of the API key that first pushed the id; NULL: the admin key
);

-- One row per id+version. Identity is (lower_id, lower_version): lower_version is the
-- normalized version without metadata, lowercased (protocol §9.2).
CREATE TABLE IF NOT EXISTS package_versions (
  lower_id          TEXT NOT NULL,
  lower_version     TEXT NOT NULL,
  id                TEXT NOT NULL,        -- as in this version's nuspec
  version           TEXT NOT NULL,        -- full: normalized + "+metadata", label casing kept
  original_version  TEXT NOT NULL,        -- verbatim from the nuspec
  is_prerelease     INTEGER NOT NULL,
  is_semver2        INTEGER NOT NULL,     -- version or a dependency bound is SemVer 2 (§9.5)
  listed            INTEGER NOT NULL DEFAULT 1,
  created           TEXT NOT NULL,        -- ISO 8601, first receipt
  published         TEXT NOT NULL,        -- ISO 8601, last time it became listed
  package_hash      TEXT NOT NULL,        -- base64 SHA-512 of the exact pushed bytes
  package_size      INTEGER NOT NULL,
  authors           TEXT NOT NULL,
  description       TEXT NOT NULL,
  title             TEXT NOT NULL DEFAULT '',
  summary           TEXT NOT NULL DEFAULT '',
  tags              TEXT NOT NULL DEFAULT '',   -- space separated, as in the nuspec
  project_url       TEXT NOT NULL DEFAULT '',
  icon_url          TEXT NOT NULL DEFAULT '',   -- nuspec <iconUrl>; embedded icons use has_icon
  license_url       TEXT NOT NULL DEFAULT '',
  license_expression TEXT NOT NULL DEFAULT '',
  release_notes     TEXT NOT NULL DEFAULT '',
  copyright         TEXT NOT NULL DEFAULT '',
  language          TEXT NOT NULL DEFAULT '',
  min_client_version TEXT NOT NULL DEFAULT '',
  require_license_acceptance INTEGER NOT NULL DEFAULT 0,
  development_dependency INTEGER NOT NULL DEFAULT 0,
  has_readme        INTEGER NOT NULL DEFAULT 0,
  icon_content_type TEXT NOT NULL DEFAULT '',   -- '' when the package embeds no icon
  package_types     TEXT NOT NULL DEFAULT '[]', -- JSON [{ "name", "version"? }]
  dependency_groups TEXT NOT NULL DEFAULT '[]', -- JSON, ranges normalized
  downloads         INTEGER NOT NULL DEFAULT 0,
  sort_key          TEXT NOT NULL,        -- versionSortKey (src/nuget/version.ts): byte order = NuGet order (§9.3)
  -- Added by migration 0002 (ALTER TABLE appends it, so it stays last here too):
  last_edited       TEXT NOT NULL DEFAULT '',   -- ISO 8601, last unlist or relist; '' never (catalog lastEdited, §7.3)
  -- Added by migration 0003: the id's registration page holding this version (src/store/registrationPages.ts).
  registration_page INTEGER NOT NULL DEFAULT 0,
  -- Added by migration 0006: JSON {"reasons", "message"?, "alternatePackage"?} (§4.6); NULL: not deprecated.
  deprecation       TEXT,
  PRIMARY KEY (lower_id, lower_version)
);
-- An id's versions in NuGet order: search_packages' latest-version columns, and the flat list
-- from the index alone (migration 0005).
CREATE INDEX IF NOT EXISTS package_versions_order ON package_versions (lower_id, sort_key, lower_version);
-- A registration page's versions in NuGet order: its summary, its split (migration 0005).
CREATE INDEX IF NOT EXISTS package_versions_page ON package_versions (lower_id, registration_page, sort_key);

-- One row per registration page ever created (pages are runs of consecutive versions in NuGet
-- order, numbered per id, never renumbered): the id's generation at the page's last change, per
-- hive level. A page document in KV older than its row is stale (src/documents/rebuild.ts).
-- Migration 0005 added its summary per level, kept by every batch that changes the page, so that
-- an index is built from one row per page.
CREATE TABLE IF NOT EXISTS registration_pages (
  lower_id            TEXT NOT NULL,
  page                INTEGER NOT NULL,
  semver1_generation  INTEGER NOT NULL,
  semver2_generation  INTEGER NOT NULL,
  first_sort_key      TEXT NOT NULL DEFAULT '',     -- sort_key of its lowest version: orders the pages
  semver2_count       INTEGER NOT NULL DEFAULT 0,   -- versions shown at the level
  semver2_lower       TEXT,                         -- full version of the lowest shown (NULL: none)
  semver2_upper       TEXT,                         -- and of the highest
  semver2_touched     TEXT,                         -- newest created, published or last_edited shown
  semver1_count       INTEGER NOT NULL DEFAULT 0,   -- the same at SemVer 1, without SemVer 2 versions
  semver1_lower       TEXT,
  semver1_upper       TEXT,
  semver1_touched     TEXT,
  PRIMARY KEY (lower_id, page)
) WITHOUT ROWID;

-- Full-text search over one row per version (rowid = package_versions.rowid), written in the same
-- batch as the version row. `title` is the version's title, or its id when it has none (§5.3). Rebuildable from package_versions; note `wrangler d1 export` cannot
-- export virtual tables: export the base tables with --table and rebuild this one.
CREATE VIRTUAL TABLE IF NOT EXISTS package_search USING fts5(
  id, title, description, summary, tags, authors,
  tokenize = "unicode61 remove_diacritics 2 separators '.-_'"
);

-- One row per id, derived from its package_versions rows and rewritten in the same batch as every
-- change to them (src/store/searchIndex.ts), so search ranks, counts and pages ids without grouping
-- version rows. A latest_* column holds the lower_version of the newest listed version (by
-- sort_key) a request may see, NULL when there is none: *_stable_* exclude prereleases,
-- *_semver1 exclude SemVer 2 versions (§3.4, §5.1, §9.5). Rebuildable from package_versions: the
-- repair pass (src/pages/repair.ts) rewrites any row that differs.
CREATE TABLE IF NOT EXISTS search_packages (
  lower_id                  TEXT PRIMARY KEY,
  id                        TEXT NOT NULL,           -- display id: package_registrations.id
  total_downloads           INTEGER NOT NULL,        -- every version's, listed or not (as nuget.org)
  latest_stable_semver1     TEXT,
  latest_prerelease_semver1 TEXT,
  latest_stable_semver2     TEXT,
  latest_prerelease_semver2 TEXT
);
-- Browse (no query text) pages down this index: most downloaded first, then id.
CREATE INDEX IF NOT EXISTS search_packages_popular ON search_packages (total_downloads DESC, lower_id);

-- Catalog (protocol §7): a log in commit order. commit_us is microseconds since the epoch and
-- strictly increases (one commit per item), so consumers' cursors never skip an item. A version
-- keeps only its newest PackageDetails item (src/store/catalog.ts; docs/protocol.md §7).
CREATE TABLE IF NOT EXISTS catalog_items (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  commit_us   INTEGER NOT NULL UNIQUE,
  commit_id   TEXT NOT NULL,
  item_type   TEXT NOT NULL,               -- 'PackageDetails' | 'PackageDelete'
  lower_id    TEXT NOT NULL,
  lower_version TEXT NOT NULL,
  id          TEXT NOT NULL,
  version     TEXT NOT NULL,
  details     TEXT NOT NULL                -- JSON snapshot of the version row at commit time
);
-- A version's items: to find its catalog leaf (registration catalogEntry.@id, §4.6) and supersede it.
CREATE INDEX IF NOT EXISTS catalog_items_version ON catalog_items (lower_id, lower_version);

-- API keys and read tokens (src/auth). Only a SHA-256 of each secret is stored: a key is shown once,
-- at creation. The secrets are 32 random bytes, so a fast unsalted hash is enough (nothing to
-- brute-force, unlike passwords) and lets a key be found by its hash alone. Revoked rows stay, so
-- that `keys list` shows what existed; names are unique among keys not revoked.
CREATE TABLE IF NOT EXISTS api_keys (
  key_hash     TEXT PRIMARY KEY,            -- lowercase hex SHA-256 of the whole token
  key_id       TEXT NOT NULL UNIQUE,        -- public handle for list and revoke
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('api', 'read')),
  scopes       TEXT NOT NULL,               -- JSON ["push", "push-version", "unlist"] or ["read"]
  id_patterns  TEXT NOT NULL,               -- JSON ["Contoso.*", ...]
  owned_only   INTEGER NOT NULL DEFAULT 0,
  expires_at   TEXT,                        -- ISO 8601; NULL: never
  revoked_at   TEXT,                        -- ISO 8601; NULL: active
  created_at   TEXT NOT NULL,
  -- Added by migration 0009: the trust policy a short-lived key was issued by (src/auth/trustedPublishing.ts).
  policy_id    TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
CREATE INDEX IF NOT EXISTS api_keys_policy ON api_keys (policy_id) WHERE policy_id IS NOT NULL;

-- One row per Portable PDB of a package version, from its .nupkg (beside its DLLs) or its .snupkg,
-- found by what an SSQP key names (the PDB id's GUID and the file name). The PDB's bytes are an R2
-- blob keyed by pdb_guid, pdb_stamp and checksum (src/store/blobs.ts), shared by identical PDBs.
CREATE TABLE IF NOT EXISTS symbol_files (
  lower_id       TEXT NOT NULL,
  lower_version  TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('nupkg', 'snupkg')),
  path           TEXT NOT NULL,        -- the entry's path in the package
  file_name      TEXT NOT NULL,        -- lower-cased last part of path: the key's first and last part
  pdb_guid       TEXT NOT NULL,        -- 32 lower-case hex digits, Guid "N" form
  pdb_stamp      TEXT NOT NULL,        -- 8 lower-case hex digits
  checksum       TEXT NOT NULL,        -- lower-case hex SHA-256 of the PDB with its id zeroed (SymbolChecksum)
  size           INTEGER NOT NULL,
  PRIMARY KEY (lower_id, lower_version, source, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS symbol_files_key ON symbol_files (pdb_guid, file_name);
CREATE INDEX IF NOT EXISTS symbol_files_checksum ON symbol_files (checksum);

-- Migration 0006. One row per advisory range of an id. An advisory (lower_id, url) may cover several ranges,
-- as an OSV entry may; `page` is the VulnerabilityInfo page that carries it (protocol §8.1).
CREATE TABLE IF NOT EXISTS package_advisories (
  lower_id    TEXT NOT NULL,
  url         TEXT NOT NULL,
  versions    TEXT NOT NULL,
  severity    INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
  page        TEXT NOT NULL CHECK (page IN ('base', 'updates')),
  source      TEXT NOT NULL DEFAULT '',
  changed_at  TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  PRIMARY KEY (lower_id, url, versions)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS package_advisories_page ON package_advisories (page, lower_id);

-- The VulnerabilityInfo pages and the time each last changed: clients refetch a page only when
-- its @updated moves (§8.1).
CREATE TABLE IF NOT EXISTS vulnerability_pages (
  name     TEXT PRIMARY KEY,
  updated  TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO vulnerability_pages (name, updated) VALUES
  ('base', '1970-01-01T00:00:00.000Z'), ('updates', '1970-01-01T00:00:00.000Z');

-- Every change an operator makes to deprecations and advisories: when, by which key, what.
CREATE TABLE IF NOT EXISTS audit_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  lower_id  TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_id ON audit_log (lower_id, seq);

-- Migration 0007. One row per id+version the admin hard-deleted. Clients and lock files cache a package by id and
-- version for ever, so the version may not be pushed again with other content unless the admin
-- allowed it (`reusable`); a push that reuses it removes the row (the trigger below, in its batch).
CREATE TABLE IF NOT EXISTS deleted_versions (
  lower_id       TEXT NOT NULL,
  lower_version  TEXT NOT NULL,
  id             TEXT NOT NULL,
  version        TEXT NOT NULL,
  deleted_at     TEXT NOT NULL,
  deleted_by     TEXT NOT NULL,
  reusable       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lower_id, lower_version)
) WITHOUT ROWID;

-- The last word on reuse, whatever a push checked before: its insert fails inside its batch.
CREATE TRIGGER IF NOT EXISTS refuse_deleted_versions BEFORE INSERT ON package_versions
WHEN EXISTS (SELECT 1 FROM deleted_versions d
             WHERE d.lower_id = NEW.lower_id AND d.lower_version = NEW.lower_version AND d.reusable = 0)
BEGIN
  SELECT RAISE(ABORT, 'edgeget: this version was deleted and may not be pushed again');
END;
-- A version pushed again where reuse was allowed is no longer a deleted one.
CREATE TRIGGER IF NOT EXISTS reuse_deleted_versions AFTER INSERT ON package_versions
BEGIN
  DELETE FROM deleted_versions WHERE lower_id = NEW.lower_id AND lower_version = NEW.lower_version;
END;

-- Migration 0008. One row per retention rule (src/nuget/retention.ts): which old versions of the ids
-- its pattern matches the retention run unlists or deletes. A NULL limit is one the rule does not
-- set. The pattern is kept as the admin wrote it; lower_pattern, its identity, is what ids are matched against.
CREATE TABLE IF NOT EXISTS retention_rules (
  lower_pattern               TEXT PRIMARY KEY,
  pattern                     TEXT NOT NULL,
  keep_stable                 INTEGER,
  keep_prerelease             INTEGER,
  prerelease_older_than_days  INTEGER,
  action                      TEXT NOT NULL CHECK (action IN ('unlist', 'delete')),
  created_at                  TEXT NOT NULL,
  changed_by                  TEXT NOT NULL
) WITHOUT ROWID;

-- Migration 0009. Who may exchange a token: the user a workflow names (NuGet/login's `user`), the repository and
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

-- Each OIDC token is exchanged once: its jti is inserted in the batch that stores the new key, so
-- of two exchanges of one token exactly one commits.
CREATE TABLE IF NOT EXISTS oidc_tokens (
  jti         TEXT PRIMARY KEY,
  expires_at  TEXT NOT NULL,
  policy_id   TEXT NOT NULL
) WITHOUT ROWID;

-- Migration 0010. One row per id served from the upstream feed, claimed by one INSERT … WHERE NOT
-- EXISTS over the id's local history (src/store/upstreamPackages.ts); `npx edgeget upstream forget`
-- removes it. The counters and the last error are for `npx edgeget upstream status`.
CREATE TABLE IF NOT EXISTS upstream_packages (
  lower_id       TEXT PRIMARY KEY,
  first_cached   TEXT NOT NULL,
  last_refresh   TEXT NOT NULL,
  bytes          INTEGER NOT NULL DEFAULT 0,
  files          INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT,
  last_error_at  TEXT
) WITHOUT ROWID;

-- The most recent upstream failures, whatever the id (kept to the newest 100 by their writer).
CREATE TABLE IF NOT EXISTS upstream_errors (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  lower_id  TEXT NOT NULL,
  message   TEXT NOT NULL
);

-- No local version of an id cached from the upstream: the switch is the admin's forget.
CREATE TRIGGER IF NOT EXISTS refuse_upstream_versions BEFORE INSERT ON package_versions
WHEN EXISTS (SELECT 1 FROM upstream_packages u WHERE u.lower_id = NEW.lower_id)
BEGIN
  SELECT RAISE(ABORT, 'edgeget: this id is cached from the upstream feed');
END;
