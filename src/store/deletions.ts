/**
 * The one author of SQL over deleted_versions, and the batch that hard-deletes versions: their
 * rows and everything derived from them in D1 (search, symbols, catalog, page summaries), with a
 * PackageDelete catalog item each and the audit entry, in one atomic batch. Blobs go after it
 * (admin/deletePackages.ts); a crash between the two leaves blobs no row owns, which the repair
 * pass removes (src/documents/repair.ts).
 */
import type { PackageVersionRecord } from '../nuget/types';
import { type AuditEntry, auditStatement } from './auditLog';
import { packageDeleteItemStatements } from './catalog';
import { bumpGenerationStatement, committedGeneration } from './packages';
import { emptiedPagesStatement, stampPagesOfVersionsStatement } from './pageStamps';
import { summarizeStampedPagesStatement } from './registrationPages';
import { searchAfterDeletionStatements } from './searchIndex';

export interface Deletion {
  deletedAt: string;
  deletedBy: string;
  /** The admin allowed the version to be pushed again. */
  reusable: boolean;
}

export async function findDeletion(db: D1Database, lowerId: string, lowerVersion: string): Promise<Deletion | null> {
  const row = await db
    .prepare('SELECT deleted_at, deleted_by, reusable FROM deleted_versions WHERE lower_id = ?1 AND lower_version = ?2')
    .bind(lowerId, lowerVersion)
    .first<{ deleted_at: string; deleted_by: string; reusable: number }>();
  return row ? { deletedAt: row.deleted_at, deletedBy: row.deleted_by, reusable: row.reusable === 1 } : null;
}

/**
 * Deletes these versions of one id. The pages are stamped while the rows still say which pages
 * hold them; pages left empty lose their rows before the others are summed up again. Answers
 * the id's generation the batch committed.
 */
export async function deleteVersions(
  db: D1Database,
  change: { records: readonly PackageVersionRecord[]; reusable: boolean; audit: AuditEntry; now: Date },
): Promise<number> {
  const { records, reusable, audit, now } = change;
  const lowerId = records[0]?.lowerId ?? audit.lowerId;
  const versions = JSON.stringify(records.map((record) => record.lowerVersion));
  const ofVersions = 'lower_id = ?1 AND lower_version IN (SELECT value FROM json_each(?2))';
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO deleted_versions (lower_id, lower_version, id, version, deleted_at, deleted_by, reusable)
         SELECT lower_id, lower_version, id, version, ?3, ?4, ?5 FROM package_versions WHERE ${ofVersions}
         ON CONFLICT (lower_id, lower_version) DO UPDATE SET deleted_at = excluded.deleted_at,
           deleted_by = excluded.deleted_by, reusable = excluded.reusable`,
      )
      .bind(lowerId, versions, audit.at, audit.actor, reusable ? 1 : 0),
    bumpGenerationStatement(db, lowerId),
    stampPagesOfVersionsStatement(
      db,
      lowerId,
      records.map((record) => record.lowerVersion),
      'both',
    ),
    ...packageDeleteItemStatements(db, records, now),
    db
      .prepare(`DELETE FROM package_search WHERE rowid IN (SELECT rowid FROM package_versions WHERE ${ofVersions})`)
      .bind(lowerId, versions),
    db.prepare(`DELETE FROM symbol_files WHERE ${ofVersions}`).bind(lowerId, versions),
    db.prepare(`DELETE FROM package_versions WHERE ${ofVersions}`).bind(lowerId, versions),
    emptiedPagesStatement(db, lowerId),
    summarizeStampedPagesStatement(db, lowerId),
    ...searchAfterDeletionStatements(db, lowerId),
    auditStatement(db, audit),
  ]);
  return committedGeneration(results);
}

/** Lets a deleted version be pushed again (`--allow-reuse` on a version deleted before); false when it was not deleted. */
export async function allowReuse(
  db: D1Database,
  lowerId: string,
  lowerVersion: string,
  audit: AuditEntry,
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .prepare('UPDATE deleted_versions SET reusable = 1 WHERE lower_id = ?1 AND lower_version = ?2')
      .bind(lowerId, lowerVersion),
    auditStatement(db, audit),
  ]);
  return (updated?.meta.changes ?? 0) > 0;
}
