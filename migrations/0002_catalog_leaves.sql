-- 0002 (issue 11): complete, bounded catalog leaves (protocol §7.3) and search titles (§5.3).
-- schema.sql holds the full schema after this migration.

-- The catalog leaf's lastEdited: the last unlist or relist; '' for versions never edited.
ALTER TABLE package_versions ADD COLUMN last_edited TEXT NOT NULL DEFAULT '';

-- A version's catalog items, for its registration catalogEntry.@id (§4.6) and for superseding them.
CREATE INDEX IF NOT EXISTS catalog_items_version ON catalog_items (lower_id, lower_version);

-- A version keeps only its newest PackageDetails item (docs/protocol.md §7.5 "What EdgeGet does"):
-- drop the older ones earlier listing changes left.
DELETE FROM catalog_items
WHERE item_type = 'PackageDetails'
  AND seq < (SELECT MAX(c.seq) FROM catalog_items c
             WHERE c.lower_id = catalog_items.lower_id AND c.lower_version = catalog_items.lower_version
               AND c.item_type = 'PackageDetails');

-- Search titles a package without a title by its id (§5.3), so `title:` finds it (§5.2).
UPDATE package_search
SET title = (SELECT v.id FROM package_versions v WHERE v.rowid = package_search.rowid)
WHERE title = '';
