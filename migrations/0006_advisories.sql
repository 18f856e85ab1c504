-- 0006 (issue 15): deprecations and vulnerability advisories, and the log of who changed them.
-- schema.sql holds the full schema after this migration.

-- A version's deprecation, as registration serves it (protocol §4.6): JSON
-- {"reasons": [...], "message"?, "alternatePackage"?: {"id", "range"}}; NULL: not deprecated.
ALTER TABLE package_versions ADD COLUMN deprecation TEXT;

-- One row per advisory range of an id. An advisory (lower_id, url) may cover several ranges,
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
