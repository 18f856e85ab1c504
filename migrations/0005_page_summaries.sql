-- 0005 (issue 12): every registration page keeps a summary per hive level (its version count,
-- bounds and newest time), so a change reads one row per page for the indexes instead of every
-- version of the id (src/store/registrationPages.ts). schema.sql holds the full schema after this
-- migration.

-- The flat list reads every version's lower_version in NuGet order: from the index alone.
DROP INDEX IF EXISTS package_versions_order;
CREATE INDEX IF NOT EXISTS package_versions_order ON package_versions (lower_id, sort_key, lower_version);

-- The pages' versions in NuGet order: a page's bounds come from the first and last of its run.
DROP INDEX IF EXISTS package_versions_page;
CREATE INDEX IF NOT EXISTS package_versions_page ON package_versions (lower_id, registration_page, sort_key);

-- first_sort_key: the sort_key of the page's lowest version, which orders the pages. Per level,
-- the count of versions shown there (SemVer 1 leaves SemVer 2 versions out), the full versions of
-- the lowest and highest (NULL when the level shows none), and the newest of their created,
-- published and last-edited times.
ALTER TABLE registration_pages ADD COLUMN first_sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE registration_pages ADD COLUMN semver2_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registration_pages ADD COLUMN semver2_lower TEXT;
ALTER TABLE registration_pages ADD COLUMN semver2_upper TEXT;
ALTER TABLE registration_pages ADD COLUMN semver2_touched TEXT;
ALTER TABLE registration_pages ADD COLUMN semver1_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registration_pages ADD COLUMN semver1_lower TEXT;
ALTER TABLE registration_pages ADD COLUMN semver1_upper TEXT;
ALTER TABLE registration_pages ADD COLUMN semver1_touched TEXT;

-- Existing pages: summed up from their versions. What the documents show does not change, so no
-- generation moves.
UPDATE registration_pages SET
  (first_sort_key, semver2_count, semver2_touched, semver1_count, semver1_touched) = (
    SELECT MIN(v.sort_key), COUNT(*), MAX(MAX(v.created, v.published, v.last_edited)),
      COALESCE(SUM(v.is_semver2 = 0), 0),
      MAX(CASE WHEN v.is_semver2 = 0 THEN MAX(v.created, v.published, v.last_edited) END)
    FROM package_versions v
    WHERE v.lower_id = registration_pages.lower_id AND v.registration_page = registration_pages.page),
  semver2_lower = (SELECT v.version FROM package_versions v
    WHERE v.lower_id = registration_pages.lower_id AND v.registration_page = registration_pages.page
    ORDER BY v.sort_key LIMIT 1),
  semver2_upper = (SELECT v.version FROM package_versions v
    WHERE v.lower_id = registration_pages.lower_id AND v.registration_page = registration_pages.page
    ORDER BY v.sort_key DESC LIMIT 1),
  semver1_lower = (SELECT v.version FROM package_versions v
    WHERE v.lower_id = registration_pages.lower_id AND v.registration_page = registration_pages.page
      AND v.is_semver2 = 0 ORDER BY v.sort_key LIMIT 1),
  semver1_upper = (SELECT v.version FROM package_versions v
    WHERE v.lower_id = registration_pages.lower_id AND v.registration_page = registration_pages.page
      AND v.is_semver2 = 0 ORDER BY v.sort_key DESC LIMIT 1);
