-- 0010 (issue 17): the pull-through upstream. schema.sql holds the full schema after this migration.

-- One row per id served from the upstream feed (README "Using an upstream feed"). The row is
-- claimed by one INSERT … WHERE NOT EXISTS over the id's local history (src/store/upstreamPackages.ts),
-- so a push and a first upstream look-up of one id cannot both win; `npx edgeget upstream forget`
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

-- No local version of an id cached from the upstream: the switch from upstream to local is the
-- admin's forget, never a push that happens to arrive (dependency confusion).
CREATE TRIGGER IF NOT EXISTS refuse_upstream_versions BEFORE INSERT ON package_versions
WHEN EXISTS (SELECT 1 FROM upstream_packages u WHERE u.lower_id = NEW.lower_id)
BEGIN
  SELECT RAISE(ABORT, 'edgeget: this id is cached from the upstream feed');
END;
