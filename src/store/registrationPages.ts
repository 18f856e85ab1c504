/**
 * The one author of SQL over registration pages: package_versions.registration_page, the
 * registration_pages table, and the reads a document rebuild makes (src/documents/rebuild.ts).
 *
 * An id's versions, in NuGet order, are cut into pages of consecutive versions. A page keeps its
 * number for life, so adding or changing one version rewrites only the page holding it, not every
 * page after it (protocol §4.7 leaves page boundaries to the server). A new version joins the page
 * of the version just below it (the first page when it is the lowest). A page that passes
 * MAX_PAGE_VERSIONS splits: an appended version starts a new page on its own (the common
 * push-a-newer-version case leaves full pages behind), otherwise the upper half moves to a new
 * page. The split runs inside the change's D1 batch, so pages never exceed the cap and concurrent
 * pushes cannot interleave with it.
 *
 * registration_pages records, per page and hive level, the id's generation at its last change;
 * a stored page document older than that is stale. The SemVer 1 level is stamped only when a
 * change can alter what it shows there (a SemVer 1 version, or a split).
 */
import type { RegistrationLayout } from '../nuget/registration';
import { MAX_PAGE_VERSIONS } from '../nuget/registrationLayout';
import type { PackageVersionRecord } from '../nuget/types';
import type { StoredRow } from './columns';
import { versionRows } from './versionColumns';

const PAGE_OF_VERSION = '(SELECT registration_page FROM package_versions WHERE lower_id = ?1 AND lower_version = ?2)';
const OWN_SORT_KEY = '(SELECT sort_key FROM package_versions WHERE lower_id = ?1 AND lower_version = ?2)';
/** The page holding (?1, ?2) is over the cap: the version just joined a full page. */
const OVERSIZED = `(SELECT COUNT(*) FROM package_versions WHERE lower_id = ?1 AND registration_page = ${PAGE_OF_VERSION}) > ${MAX_PAGE_VERSIONS}`;
/** (?1, ?2) is the highest version of its page. */
const TOPMOST = `NOT EXISTS (SELECT 1 FROM package_versions
  WHERE lower_id = ?1 AND registration_page = ${PAGE_OF_VERSION} AND sort_key > ${OWN_SORT_KEY})`;
/**
 * Never reuses a number, even one whose row a bulk load left out. Two plain MAX subqueries, not a
 * MAX over a UNION: SQLite answers each from its index's last entry instead of reading every version.
 */
const NEXT_PAGE = `(MAX(
  COALESCE((SELECT MAX(page) FROM registration_pages WHERE lower_id = ?1), -1),
  COALESCE((SELECT MAX(registration_page) FROM package_versions WHERE lower_id = ?1), -1)) + 1)`;
const GENERATION = '(SELECT generation FROM package_registrations WHERE lower_id = ?1)';

/**
 * Stamps the page holding (lowerId, lowerVersion) with the id's (already bumped) generation: the
 * SemVer 1 level too, unless the version is SemVer 2 and the page is not about to split. A version
 * about to start a page of its own leaves the full page it joined for a moment unstamped: that
 * page's content does not change.
 */
export function stampPageStatement(db: D1Database, lowerId: string, lowerVersion: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO registration_pages (lower_id, page, semver1_generation, semver2_generation)
       SELECT ?1, registration_page, ${GENERATION}, ${GENERATION} FROM package_versions
       WHERE lower_id = ?1 AND lower_version = ?2
       -- (an upsert's SELECT needs its WHERE, which it has, to parse)
       ON CONFLICT (lower_id, page) DO UPDATE SET
         semver2_generation = excluded.semver2_generation,
         semver1_generation = CASE
           WHEN (SELECT is_semver2 FROM package_versions WHERE lower_id = ?1 AND lower_version = ?2) = 0 OR ${OVERSIZED}
           THEN excluded.semver1_generation ELSE registration_pages.semver1_generation END
       WHERE NOT (${OVERSIZED} AND ${TOPMOST})`,
    )
    .bind(lowerId, lowerVersion);
}

/** Statements that place a just-inserted version: join a page, stamp it, split it if it is over the cap. */
export function placeVersionStatements(db: D1Database, record: PackageVersionRecord): D1PreparedStatement[] {
  const { lowerId, lowerVersion } = record;
  return [
    // It joins the page of the version just below it, or of the lowest one when it is the lowest.
    db
      .prepare(
        `UPDATE package_versions SET registration_page = COALESCE(
           (SELECT registration_page FROM package_versions WHERE lower_id = ?1 AND sort_key < ${OWN_SORT_KEY}
            ORDER BY sort_key DESC LIMIT 1),
           (SELECT registration_page FROM package_versions WHERE lower_id = ?1 AND lower_version <> ?2
            ORDER BY sort_key LIMIT 1),
           0)
         WHERE lower_id = ?1 AND lower_version = ?2`,
      )
      .bind(lowerId, lowerVersion),
    stampPageStatement(db, lowerId, lowerVersion),
    // The version is the highest of its full page: it starts the next page alone.
    db
      .prepare(
        `UPDATE package_versions SET registration_page = ${NEXT_PAGE}
         WHERE lower_id = ?1 AND lower_version = ?2 AND ${OVERSIZED} AND ${TOPMOST}`,
      )
      .bind(lowerId, lowerVersion),
    // Otherwise the upper half of the page moves to a new one. Every subquery here is uncorrelated,
    // so SQLite evaluates each once, before the first row moves. The rows are picked by rowid from
    // the page's own index entries: left to itself, the planner walks the id's every version in
    // sort_key order to save the sort.
    db
      .prepare(
        `UPDATE package_versions SET registration_page = ${NEXT_PAGE}
         WHERE ${OVERSIZED}
           AND rowid IN (SELECT rowid FROM package_versions INDEXED BY package_versions_page
                         WHERE lower_id = ?1 AND registration_page = ${PAGE_OF_VERSION}
                         ORDER BY sort_key LIMIT -1 OFFSET ${Math.ceil((MAX_PAGE_VERSIONS + 1) / 2)})`,
      )
      .bind(lowerId, lowerVersion),
    // The page a split created has no row yet.
    db
      .prepare(
        `INSERT INTO registration_pages (lower_id, page, semver1_generation, semver2_generation)
         SELECT ?1, registration_page, ${GENERATION}, ${GENERATION} FROM package_versions
         WHERE lower_id = ?1
           AND registration_page > (SELECT COALESCE(MAX(page), -1) FROM registration_pages WHERE lower_id = ?1)
         GROUP BY registration_page`,
      )
      .bind(lowerId),
  ];
}

/** Full version rows and their catalog leaf seqs (§4.6), by lower version. */
export interface PageRecords {
  records: Map<string, PackageVersionRecord>;
  catalogLeaves: Map<string, number>;
}

/** The pages the id's latest change stamped, or a list of versions (one JSON parameter: D1 binds at most 100). */
type Selection = { changed: true } | { versions: readonly string[] };

function selectionFilter(selection: Selection): string {
  return 'changed' in selection
    ? `registration_page IN (SELECT page FROM registration_pages WHERE lower_id = ?1
         AND ${GENERATION} IN (semver1_generation, semver2_generation))`
    : 'lower_version IN (SELECT value FROM json_each(?2))';
}

function recordStatements(db: D1Database, lowerId: string, selection: Selection): D1PreparedStatement[] {
  const filter = selectionFilter(selection);
  const binds = 'changed' in selection ? [lowerId] : [lowerId, JSON.stringify(selection.versions)];
  return [
    db.prepare(`SELECT * FROM package_versions WHERE lower_id = ?1 AND ${filter}`).bind(...binds),
    db
      .prepare(
        `SELECT lower_version, MAX(seq) AS seq FROM catalog_items
         WHERE lower_id = ?1 AND item_type = 'PackageDetails'
           AND lower_version IN (SELECT lower_version FROM package_versions WHERE lower_id = ?1 AND ${filter})
         GROUP BY lower_version`,
      )
      .bind(...binds),
  ];
}

function pageRecordsOf(rows: readonly unknown[], seqs: readonly unknown[]): PageRecords {
  const records = new Map(
    (rows as StoredRow[]).map((row) => {
      const record = versionRows.decode(row);
      return [record.lowerVersion, record] as const;
    }),
  );
  const catalogLeaves = new Map(
    (seqs as { lower_version: string; seq: number }[]).map((row) => [row.lower_version, row.seq]),
  );
  return { records, catalogLeaves };
}

interface VersionRow {
  lower_version: string;
  version: string;
  registration_page: number;
  is_semver2: number;
  touched: string;
}

/**
 * One consistent read: the registration, every version as the indexes need it (one short row each,
 * which the flat list needs anyway), every page's generations and, with `changed`, the full rows
 * of the pages the id's latest change stamped (usually all a push's rebuild needs). null: no id.
 */
export async function registrationSnapshot(
  db: D1Database,
  lowerId: string,
  withChanged: boolean,
): Promise<{ layout: RegistrationLayout; changed: PageRecords } | null> {
  const [registration, versions, pages, rows, seqs] = await db.batch([
    db.prepare('SELECT lower_id, id, generation FROM package_registrations WHERE lower_id = ?1').bind(lowerId),
    db
      .prepare(
        `SELECT lower_version, version, registration_page, is_semver2, MAX(created, published, last_edited) AS touched
         FROM package_versions WHERE lower_id = ?1 ORDER BY sort_key`,
      )
      .bind(lowerId),
    db
      .prepare('SELECT page, semver1_generation, semver2_generation FROM registration_pages WHERE lower_id = ?1')
      .bind(lowerId),
    ...(withChanged ? recordStatements(db, lowerId, { changed: true }) : []),
  ]);
  const row = registration?.results[0] as { lower_id: string; id: string; generation: number } | undefined;
  if (!row) return null;
  const layout: RegistrationLayout = {
    registration: { lowerId: row.lower_id, id: row.id, generation: row.generation },
    versions: ((versions?.results ?? []) as VersionRow[]).map((v) => ({
      lowerVersion: v.lower_version,
      version: v.version,
      page: v.registration_page,
      isSemVer2: v.is_semver2 === 1,
      touched: v.touched,
    })),
    pages: ((pages?.results ?? []) as { page: number; semver1_generation: number; semver2_generation: number }[]).map(
      (p) => ({ page: p.page, semver1: p.semver1_generation, semver2: p.semver2_generation }),
    ),
  };
  return { layout, changed: pageRecordsOf(rows?.results ?? [], seqs?.results ?? []) };
}

/** The full rows of these versions and their catalog leaf seqs: what their pages show. */
export async function versionRecords(
  db: D1Database,
  lowerId: string,
  versions: readonly string[],
): Promise<PageRecords> {
  if (versions.length === 0) return { records: new Map(), catalogLeaves: new Map() };
  const [rows, seqs] = await db.batch(recordStatements(db, lowerId, { versions }));
  return pageRecordsOf(rows?.results ?? [], seqs?.results ?? []);
}
