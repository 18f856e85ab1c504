/**
 * The one author of SQL over package_versions.deprecation: which versions a command selects,
 * and the batch that changes their deprecation with everything that must move with it (the id's
 * generation, the SemVer 2 pages showing them, their summaries' times, the audit entry).
 */
import { type Deprecation, deprecationText } from '../nuget/deprecation';
import type { SortKeyBounds } from '../nuget/versionSelection';
import { type AuditEntry, auditStatement } from './auditLog';
import { bumpGenerationStatement, committedGeneration } from './packages';
import { stampPagesOfVersionsStatement, withinBounds } from './pageStamps';
import { summarizeStampedPagesStatement } from './registrationPages';

export interface SelectedVersion {
  lowerVersion: string;
  /** Full version (§9.2). */
  version: string;
  /** The stored JSON, compared as text with the wanted one. */
  deprecation: string | null;
}

/** An id's versions within `bounds`, in NuGet order; at most `limit`. */
export async function selectedVersions(
  db: D1Database,
  lowerId: string,
  bounds: SortKeyBounds,
  limit: number,
): Promise<SelectedVersion[]> {
  const { results } = await db
    .prepare(
      `SELECT lower_version, version, deprecation FROM package_versions
       WHERE lower_id = ?1 AND ${withinBounds(bounds)} ORDER BY sort_key LIMIT ?4`,
    )
    .bind(lowerId, bounds.min, bounds.max, limit)
    .all<{ lower_version: string; version: string; deprecation: string | null }>();
  return results.map((row) => ({
    lowerVersion: row.lower_version,
    version: row.version,
    deprecation: row.deprecation,
  }));
}

/**
 * Sets (or, with null, clears) the deprecation of these versions in one atomic batch; the change
 * is an edit of each (last_edited, so their pages' times move, §4.3). Answers the id's generation
 * the batch committed.
 */
export async function updateDeprecation(
  db: D1Database,
  change: { lowerId: string; lowerVersions: readonly string[]; deprecation: Deprecation | null; audit: AuditEntry },
): Promise<number> {
  const { lowerId, lowerVersions, deprecation, audit } = change;
  const text = deprecationText(deprecation);
  const results = await db.batch([
    db
      .prepare(
        `UPDATE package_versions SET deprecation = ?1, last_edited = ?2
         WHERE lower_id = ?3 AND lower_version IN (SELECT value FROM json_each(?4))`,
      )
      .bind(text, audit.at, lowerId, JSON.stringify(lowerVersions)),
    bumpGenerationStatement(db, lowerId),
    stampPagesOfVersionsStatement(db, lowerId, lowerVersions, 'semver2'),
    summarizeStampedPagesStatement(db, lowerId),
    auditStatement(db, audit),
  ]);
  return committedGeneration(results);
}
