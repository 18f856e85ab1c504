/**
 * The one author of SQL over catalog_items: the catalog's log (protocol §7). Each row is one
 * catalog item in its own commit. Pages are fixed seq ranges, and seqs are never reused
 * (AUTOINCREMENT), so a leaf URL names one item for ever.
 *
 * A version has at most one PackageDetails item (docs/protocol.md §7.5 "What EdgeGet does"): each
 * change of a version (push, unlist, relist) appends a new item and removes the version's older
 * one, so a version whose listing flaps costs one item, not one per change. A consumer reading
 * by cursor (§7.4) still sees every version's newest state after its cursor: the new item is
 * always the newest commit. The price: a page that lost an item is shorter than it was.
 * (Registration documents name each version's item by seq: registrationPages.ts reads those seqs
 * for the pages it rebuilds.)
 */
import type { CatalogItem, CatalogItemType, CatalogPageSummary } from '../nuget/catalog';
import type { PackageVersionRecord } from '../nuget/types';
import { json, plain, rowMapping, type StoredRow } from './columns';

/** Items per catalog page (§7.2: nuget.org uses 550). */
export const CATALOG_PAGE_SIZE = 550;

/** The catalog_items columns (schema.sql) of every CatalogItem field. */
const itemRows = rowMapping<CatalogItem>({
  seq: plain('seq'),
  commitUs: plain('commit_us'),
  commitId: plain('commit_id'),
  itemType: plain('item_type'),
  lowerId: plain('lower_id'),
  lowerVersion: plain('lower_version'),
  id: plain('id'),
  version: plain('version'),
  details: json('details'),
});

/**
 * Appends one item, for the caller's atomic batch. Consumers resume from the last commit
 * timestamp they saw (§7.4 cursors), so commit_us must strictly increase even when the clock
 * repeats or goes backwards: it is at least one microsecond after the newest existing item.
 */
export function catalogItemStatement(
  db: D1Database,
  item: { itemType: CatalogItemType; record: PackageVersionRecord; commitId: string; nowUs: number },
): D1PreparedStatement {
  const { record } = item;
  return db
    .prepare(
      `INSERT INTO catalog_items (commit_us, commit_id, item_type, lower_id, lower_version, id, version, details)
       SELECT max(?1, (SELECT COALESCE(MAX(commit_us), 0) FROM catalog_items) + 1), ?2, ?3, ?4, ?5, ?6, ?7, ?8`,
    )
    .bind(
      item.nowUs,
      item.commitId,
      item.itemType,
      record.lowerId,
      record.lowerVersion,
      record.id,
      record.version,
      JSON.stringify(record),
    );
}

/**
 * The PackageDetails item of a push, unlist or relist of `record`, committed at `now`, then the
 * removal of the version's older PackageDetails items (see the header). The insert comes first,
 * so its commit_us is computed while the newest item still exists: a cursor never passes it.
 */
export function packageDetailsItemStatements(
  db: D1Database,
  record: PackageVersionRecord,
  now: Date,
): D1PreparedStatement[] {
  const insert = catalogItemStatement(db, {
    itemType: 'PackageDetails',
    record,
    commitId: crypto.randomUUID(),
    nowUs: now.getTime() * 1000,
  });
  const supersede = db
    .prepare(
      `DELETE FROM catalog_items WHERE lower_id = ?1 AND lower_version = ?2 AND item_type = 'PackageDetails'
         AND seq < (SELECT MAX(seq) FROM catalog_items WHERE lower_id = ?1 AND lower_version = ?2)`,
    )
    .bind(record.lowerId, record.lowerVersion);
  return [insert, supersede];
}

/**
 * The PackageDelete items of hard-deleted versions (§7.3), one commit each, then the removal of
 * their PackageDetails items: a consumer reading by cursor learns the version is gone, and the
 * catalog keeps no leaf describing it.
 */
export function packageDeleteItemStatements(
  db: D1Database,
  records: readonly PackageVersionRecord[],
  now: Date,
): D1PreparedStatement[] {
  const nowUs = now.getTime() * 1000;
  const inserts = records.map((record) =>
    catalogItemStatement(db, { itemType: 'PackageDelete', record, commitId: crypto.randomUUID(), nowUs }),
  );
  const lowerId = records[0]?.lowerId ?? '';
  const removeDetails = db
    .prepare(
      `DELETE FROM catalog_items WHERE lower_id = ?1 AND item_type = 'PackageDetails'
         AND lower_version IN (SELECT value FROM json_each(?2))`,
    )
    .bind(lowerId, JSON.stringify(records.map((record) => record.lowerVersion)));
  return [...inserts, removeDetails];
}

/** Every page's summary, oldest page first; [] for an empty catalog. */
export async function catalogPageSummaries(db: D1Database): Promise<CatalogPageSummary[]> {
  // SQLite takes the bare column commit_id from the row holding MAX(commit_us).
  const { results } = await db
    .prepare(
      `SELECT (seq - 1) / ${CATALOG_PAGE_SIZE} AS page, COUNT(*) AS count, MAX(commit_us) AS commit_us, commit_id
       FROM catalog_items GROUP BY page ORDER BY page`,
    )
    .all<{ page: number; count: number; commit_us: number; commit_id: string }>();
  return results.map((r) => ({ page: r.page, count: r.count, commitUs: r.commit_us, commitId: r.commit_id }));
}

/** The newest commit, or null for an empty catalog. */
export async function latestCatalogCommit(db: D1Database): Promise<{ commitUs: number; commitId: string } | null> {
  const row = await db
    .prepare('SELECT commit_us, commit_id FROM catalog_items ORDER BY seq DESC LIMIT 1')
    .first<{ commit_us: number; commit_id: string }>();
  return row ? { commitUs: row.commit_us, commitId: row.commit_id } : null;
}

export async function catalogItemCount(db: D1Database): Promise<number> {
  const row = await db.prepare('SELECT COUNT(*) AS n FROM catalog_items').first<{ n: number }>();
  return row?.n ?? 0;
}

/** The items of page `page` (0-based) in commit order; [] when the page does not exist. */
export async function catalogPageItems(db: D1Database, page: number): Promise<CatalogItem[]> {
  const { results } = await db
    .prepare('SELECT * FROM catalog_items WHERE seq > ?1 AND seq <= ?2 ORDER BY seq')
    .bind(page * CATALOG_PAGE_SIZE, (page + 1) * CATALOG_PAGE_SIZE)
    .all<StoredRow>();
  return results.map(itemRows.decode);
}

export async function findCatalogItem(db: D1Database, seq: number): Promise<CatalogItem | null> {
  const row = await db.prepare('SELECT * FROM catalog_items WHERE seq = ?').bind(seq).first<StoredRow>();
  return row ? itemRows.decode(row) : null;
}
