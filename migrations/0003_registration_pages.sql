-- 0003 (issue 12): registration pages with stable numbers, so a change rewrites only the page
-- holding its version (docs/architecture.md, "Registration pages"). schema.sql holds the full
-- schema after this migration.

-- The page of its id's registration that holds this version: pages are runs of consecutive
-- versions in NuGet order, numbered per id, never renumbered (src/store/registrationPages.ts).
ALTER TABLE package_versions ADD COLUMN registration_page INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS package_versions_page ON package_versions (lower_id, registration_page);

-- One row per page ever created: the id's generation at the page's last change, per hive level.
CREATE TABLE IF NOT EXISTS registration_pages (
  lower_id            TEXT NOT NULL,
  page                INTEGER NOT NULL,
  semver1_generation  INTEGER NOT NULL,
  semver2_generation  INTEGER NOT NULL,
  PRIMARY KEY (lower_id, page)
) WITHOUT ROWID;

-- Existing versions: pages of 64 in version order, as the feed cut them before.
UPDATE package_versions SET registration_page = ranked.page
FROM (SELECT rowid AS version_row, (ROW_NUMBER() OVER (PARTITION BY lower_id ORDER BY sort_key) - 1) / 64 AS page
      FROM package_versions) AS ranked
WHERE ranked.version_row = package_versions.rowid;

-- Every stored document predates the new page URLs: one generation up makes each of them stale, so
-- the repair pass (or `npx edgeget rebuild-pages`) rewrites them all and drops the old page keys.
UPDATE package_registrations SET generation = generation + 1;

INSERT OR IGNORE INTO registration_pages (lower_id, page, semver1_generation, semver2_generation)
SELECT v.lower_id, v.registration_page, r.generation, r.generation
FROM package_versions v JOIN package_registrations r ON r.lower_id = v.lower_id
GROUP BY v.lower_id, v.registration_page;
