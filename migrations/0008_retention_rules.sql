-- 0008 (issue 16): retention rules. schema.sql holds the full schema after this migration.

-- One row per rule (src/nuget/retention.ts): which old versions of the ids its pattern matches the
-- retention run unlists or deletes. A NULL limit is one the rule does not set. The pattern is
-- kept as the admin wrote it; lower_pattern, its identity, is what ids are matched against.
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
