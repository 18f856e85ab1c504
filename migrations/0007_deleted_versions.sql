-- 0007 (issue 16): hard-deleted versions. schema.sql holds the full schema after this migration.

-- One row per id+version the admin hard-deleted. Clients and lock files cache a package by id and
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
