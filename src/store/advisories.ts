/**
 * The one author of SQL over package_advisories and vulnerability_pages: the advisories of ids,
 * the VulnerabilityInfo pages (protocol §8.1), and the batch that changes advisories with what
 * moves with them: the pages' @updated, each id's generation and the SemVer 2 registration pages
 * showing an affected version (registration carries advisories per version, §4.6).
 */
import type { VulnerabilityPageName, Severity, Advisory } from '../nuget/vulnerabilities';
import type { SortKeyBounds } from '../nuget/versionSelection';
import { type AuditEntry, auditStatement } from './auditLog';
import { bumpGenerationStatement, committedGeneration } from './packages';
import { stampVersionsStatement } from './pageStamps';

/** More rows than this on the updates page fold it into base: clients then refetch both once. */
export const MAX_UPDATES_ROWS = 100;

export interface StoredAdvisory extends Advisory {
  page: VulnerabilityPageName;
  /** The OSV id it was imported from, '' when recorded by hand. */
  source: string;
  changedAt: string;
  changedBy: string;
}

interface AdvisoryRow {
  lower_id: string;
  url: string;
  versions: string;
  severity: Severity;
  page: VulnerabilityPageName;
  source: string;
  changed_at: string;
  changed_by: string;
}

function advisoryOf(row: AdvisoryRow): StoredAdvisory {
  return {
    id: row.lower_id,
    url: row.url,
    versions: row.versions,
    severity: row.severity,
    page: row.page,
    source: row.source,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
  };
}

/** The advisories of one id, as a statement of a document rebuild's read batch (registrationReads.ts). */
export function idAdvisoriesStatement(db: D1Database, lowerId: string): D1PreparedStatement {
  return db.prepare('SELECT * FROM package_advisories WHERE lower_id = ?1 ORDER BY url, versions').bind(lowerId);
}

/** The rows of idAdvisoriesStatement. */
export function advisoriesOfRows(rows: readonly unknown[]): StoredAdvisory[] {
  return (rows as AdvisoryRow[]).map(advisoryOf);
}

/** The advisories of these ids (every id when `lowerIds` is null), by id, URL and range. */
export async function advisoriesOf(db: D1Database, lowerIds: readonly string[] | null): Promise<StoredAdvisory[]> {
  const statement =
    lowerIds === null
      ? db.prepare('SELECT * FROM package_advisories ORDER BY lower_id, url, versions')
      : db
          .prepare(
            `SELECT * FROM package_advisories WHERE lower_id IN (SELECT value FROM json_each(?1))
             ORDER BY lower_id, url, versions`,
          )
          .bind(JSON.stringify(lowerIds));
  const { results } = await statement.all<AdvisoryRow>();
  return results.map(advisoryOf);
}

/** Every page and when it last changed, in the order the index lists them. */
export async function vulnerabilityPages(db: D1Database): Promise<{ name: VulnerabilityPageName; updated: string }[]> {
  const { results } = await db
    .prepare("SELECT name, updated FROM vulnerability_pages ORDER BY name = 'updates', name")
    .all<{ name: VulnerabilityPageName; updated: string }>();
  return results;
}

/** The advisories one page carries. */
export async function pageAdvisories(db: D1Database, page: VulnerabilityPageName): Promise<Advisory[]> {
  const { results } = await db
    .prepare('SELECT * FROM package_advisories WHERE page = ?1')
    .bind(page)
    .all<AdvisoryRow>();
  return results.map(advisoryOf);
}

/** One advisory (id + URL) as it must be after the change: its ranges; none removes it. */
export interface AdvisorySet {
  lowerId: string;
  url: string;
  severity: Severity;
  versions: readonly string[];
  source: string;
}

/**
 * The advisory's rows become exactly `set`: new ranges join the page the advisory is on (a new
 * advisory the updates page), the page is marked changed while it still holds the old rows, and
 * ranges no longer wanted go.
 */
function setStatements(db: D1Database, set: AdvisorySet, audit: AuditEntry): D1PreparedStatement[] {
  const ranges = JSON.stringify(set.versions);
  return [
    db
      .prepare(
        `INSERT INTO package_advisories (lower_id, url, versions, severity, page, source, changed_at, changed_by)
         SELECT ?1, ?2, j.value, ?3,
           COALESCE((SELECT page FROM package_advisories WHERE lower_id = ?1 AND url = ?2 LIMIT 1), 'updates'), ?4, ?5, ?6
         FROM json_each(?7) AS j WHERE true
         ON CONFLICT (lower_id, url, versions) DO UPDATE SET severity = excluded.severity, source = excluded.source,
           changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
      )
      .bind(set.lowerId, set.url, set.severity, set.source, audit.at, audit.actor, ranges),
    db
      .prepare(
        'UPDATE vulnerability_pages SET updated = ?3 WHERE name IN (SELECT page FROM package_advisories WHERE lower_id = ?1 AND url = ?2)',
      )
      .bind(set.lowerId, set.url, audit.at),
    db
      .prepare(
        'DELETE FROM package_advisories WHERE lower_id = ?1 AND url = ?2 AND versions NOT IN (SELECT value FROM json_each(?3))',
      )
      .bind(set.lowerId, set.url, ranges),
    auditStatement(db, audit),
  ];
}

/** Past MAX_UPDATES_ROWS, the updates page moves into base; both pages change. */
function foldStatements(db: D1Database, at: string): D1PreparedStatement[] {
  const over = `(SELECT COUNT(*) FROM package_advisories WHERE page = 'updates') > ${MAX_UPDATES_ROWS}`;
  return [
    db.prepare(`UPDATE vulnerability_pages SET updated = ?1 WHERE ${over}`).bind(at),
    db.prepare(`UPDATE package_advisories SET page = 'base' WHERE page = 'updates' AND ${over}`),
  ];
}

/** An id whose advisories change, and the ranges (old and new) whose versions its registration must rewrite. */
export interface AffectedId {
  lowerId: string;
  ranges: readonly SortKeyBounds[];
}

/**
 * Commits advisory changes in one atomic batch: the sets, their audit entries, the fold, and for
 * each affected id a new generation and the stamps of its pages. Answers each id's committed generation.
 */
export async function updateAdvisories(
  db: D1Database,
  changes: readonly { set: AdvisorySet; audit: AuditEntry }[],
  affected: readonly AffectedId[],
  at: string,
): Promise<Map<string, number>> {
  const statements = changes.flatMap(({ set, audit }) => setStatements(db, set, audit));
  statements.push(...foldStatements(db, at));
  const bumps = new Map<string, number>();
  for (const { lowerId, ranges } of affected) {
    bumps.set(lowerId, statements.length);
    statements.push(bumpGenerationStatement(db, lowerId));
    statements.push(...ranges.map((bounds) => stampVersionsStatement(db, lowerId, bounds)));
  }
  const results = await db.batch(statements);
  return new Map([...bumps].map(([lowerId, index]) => [lowerId, committedGeneration(results, index)]));
}
