/**
 * SQL over registration pages: package_versions.registration_page, the registration_pages table's
 * placement, stamps and summaries (pageStamps.ts has the stamps of changes that move no version;
 * registrationReads.ts the reads of a document rebuild).
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
 * change can alter what it shows there (a SemVer 1 version, or a split). It also sums each level
 * of a page up (count, bounds, newest time): the batch that stamps a page rewrites its summary,
 * so an index is built from one row per page (registrationReads.ts), not from every version.
 */
import { MAX_INLINED_VERSIONS, MAX_PAGE_VERSIONS } from '../nuget/registrationLayout';
import type { PackageVersionRecord } from '../nuget/types';

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
/** The id's generation, which the change's batch has already bumped. */
export const GENERATION = '(SELECT generation FROM package_registrations WHERE lower_id = ?1)';
/**
 * The pages of ?1 stamped, at either level, at generation `since` (an SQL expression) or later: by
 * default the id's latest change's (no stamp is ever newer than the id's generation).
 */
export function stampedPages(since = GENERATION): string {
  return `SELECT page FROM registration_pages WHERE lower_id = ?1
    AND MAX(semver1_generation, semver2_generation) >= ${since}`;
}

const SUMMARY_COLUMNS = [
  'first_sort_key',
  ...['semver2', 'semver1'].flatMap((level) => ['count', 'lower', 'upper', 'touched'].map((c) => `${level}_${c}`)),
];

/**
 * The summary columns of the page `page` of the id `id` (SQL expressions), from its versions.
 * Each bound is one step along package_versions_page (lower_id, registration_page, sort_key).
 */
function summaryValues(id: string, page: string): string {
  const on = (semver1: boolean) =>
    `FROM package_versions v WHERE v.lower_id = ${id} AND v.registration_page = ${page}${semver1 ? ' AND v.is_semver2 = 0' : ''}`;
  const level = (semver1: boolean) => [
    `(SELECT COUNT(*) ${on(semver1)})`,
    `(SELECT v.version ${on(semver1)} ORDER BY v.sort_key LIMIT 1)`,
    `(SELECT v.version ${on(semver1)} ORDER BY v.sort_key DESC LIMIT 1)`,
    `(SELECT MAX(MAX(v.created, v.published, v.last_edited)) ${on(semver1)})`,
  ];
  return [`(SELECT MIN(v.sort_key) ${on(false)})`, ...level(false), ...level(true)].join(', ');
}

/**
 * Writes the summaries of the pages `pages` selects (lower_id, page, generation), adding rows it
 * lacks at that generation; a row already equal is left alone. `restamp`: a row whose summary was
 * wrong also takes that generation (its documents are stale).
 */
function upsertSummaries(pages: string, restamp: boolean): string {
  const stamps = restamp
    ? ', semver1_generation = excluded.semver1_generation, semver2_generation = excluded.semver2_generation'
    : '';
  const row = (table: string) => `(${SUMMARY_COLUMNS.map((c) => `${table}.${c}`).join(', ')})`;
  return `INSERT INTO registration_pages (lower_id, page, semver1_generation, semver2_generation, ${SUMMARY_COLUMNS.join(', ')})
    SELECT p.lower_id, p.page, p.generation, p.generation, ${summaryValues('p.lower_id', 'p.page')}
    FROM (${pages}) AS p WHERE true
    ON CONFLICT (lower_id, page) DO UPDATE SET ${SUMMARY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}${stamps}
    WHERE ${row('registration_pages')} IS NOT ${row('excluded')}`;
}

/** For every batch that stamps pages (push, unlist, relist): after the stamps, it sums those pages up again. */
export function summarizeStampedPagesStatement(db: D1Database, lowerId: string): D1PreparedStatement {
  return db
    .prepare(
      upsertSummaries(
        `SELECT lower_id, page, semver2_generation AS generation FROM registration_pages
         WHERE lower_id = ?1 AND page IN (${stampedPages()})`,
        false,
      ),
    )
    .bind(lowerId);
}

/**
 * Repair and rebuild-pages: sums up every page of the ids in [first, last] from its versions,
 * writing only rows that are missing (a bulk load) or differ (a manual fix). Reads every version.
 */
export async function convergePageSummaries(db: D1Database, first: string, last: string): Promise<void> {
  await db
    .prepare(
      upsertSummaries(
        `SELECT DISTINCT v.lower_id AS lower_id, v.registration_page AS page, r.generation AS generation
         FROM package_versions v JOIN package_registrations r ON r.lower_id = v.lower_id
         WHERE v.lower_id BETWEEN ?1 AND ?2`,
        true,
      ),
    )
    .bind(first, last)
    .run();
}

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
    summarizeStampedPagesStatement(db, lowerId),
    ...crossedInlineLimitStatements(db, lowerId, lowerVersion),
  ];
}

/**
 * The version that takes a level past MAX_INLINED_VERSIONS turns its index into stubs (§4.7),
 * and the pages, until then only inlined, need documents of their own: every page of that level
 * is stamped, or a push's rebuild (which writes only what its change stamped) would never write
 * them. After the summaries, whose counts say whether the level just crossed.
 */
function crossedInlineLimitStatements(db: D1Database, lowerId: string, lowerVersion: string): D1PreparedStatement[] {
  const crossed = (level: string) =>
    `(SELECT SUM(${level}_count) FROM registration_pages WHERE lower_id = ?1) = ${MAX_INLINED_VERSIONS + 1}`;
  return [
    db
      .prepare(
        `UPDATE registration_pages SET semver2_generation = ${GENERATION} WHERE lower_id = ?1 AND ${crossed('semver2')}`,
      )
      .bind(lowerId),
    db
      .prepare(
        `UPDATE registration_pages SET semver1_generation = ${GENERATION} WHERE lower_id = ?1 AND ${crossed('semver1')}
           AND (SELECT is_semver2 FROM package_versions WHERE lower_id = ?1 AND lower_version = ?2) = 0`,
      )
      .bind(lowerId, lowerVersion),
  ];
}
