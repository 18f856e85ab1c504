/**
 * The SQL over search_packages (schema.sql): one row per id, a pure function of the id's
 * registration and package_versions rows, so that search and autocomplete rank, count and page ids without
 * grouping every version row per request.
 *
 * Every writer of package_versions appends the statements here to its own D1 batch: a batch is a
 * transaction and D1 runs one at a time, so a row recomputed inside the batch always matches the
 * versions it commits, whatever else races it. The repair pass converges rows that differ anyway
 * (a bulk load or a manual fix), writing only those.
 */

/** What a request may see (protocol §3.4, §5.1 prerelease, §9.5 semVerLevel). */
export interface Eligibility {
  prerelease: boolean;
  semVer2: boolean;
}

/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

/** Listed versions of `alias` the request may see. Built from booleans only: no request text enters the SQL. */
export function eligible(alias: string, e: Eligibility): string {
  const prerelease = e.prerelease ? '' : ` AND ${alias}.is_prerelease = 0`;
  return `${alias}.listed = 1${prerelease}${e.semVer2 ? '' : ` AND ${alias}.is_semver2 = 0`}`;
}

/** The search_packages column holding the latest version `e` may see (NULL: none, the id is hidden). */
export function latestColumn(e: Eligibility): string {
  return `latest_${e.prerelease ? 'prerelease' : 'stable'}_${e.semVer2 ? 'semver2' : 'semver1'}`;
}

const VARIANTS: Eligibility[] = [
  { prerelease: false, semVer2: false },
  { prerelease: true, semVer2: false },
  { prerelease: false, semVer2: true },
  { prerelease: true, semVer2: true },
];
const COLUMNS = ['lower_id', 'id', 'total_downloads', ...VARIANTS.map(latestColumn)];

/** Total downloads of the id of `owner`: every version's, listed or not, as nuget.org counts. */
function totalDownloads(owner: string): string {
  return `(SELECT COALESCE(SUM(v.downloads), 0) FROM package_versions v WHERE v.lower_id = ${owner}.lower_id)`;
}

/** The newest eligible version by sort_key (NuGet order, §9.3), walking package_versions_order from the top. */
function latest(e: Eligibility): string {
  return `(SELECT v.lower_version FROM package_versions v WHERE v.lower_id = r.lower_id AND ${eligible('v', e)}
           ORDER BY v.sort_key DESC LIMIT 1)`;
}

/**
 * How a change moves an id's total downloads: `recount` sums every version (repair); `keep` and
 * `add` (the version ?2's own count, an imported one's maybe not 0) start from the row's total,
 * which spares reading every version of the id on each push, unlist or relist.
 */
type TotalChange = 'recount' | 'keep' | 'add';

function totalAfter(change: TotalChange): string {
  if (change === 'recount') return totalDownloads('r');
  const added =
    change === 'add'
      ? ' + (SELECT a.downloads FROM package_versions a WHERE a.lower_id = r.lower_id AND a.lower_version = ?2)'
      : '';
  // COALESCE evaluates its second argument only when the first is NULL: an id without a row yet.
  return `COALESCE((SELECT s.total_downloads FROM search_packages s WHERE s.lower_id = r.lower_id)${added}, ${totalDownloads('r')})`;
}

/**
 * Writes the search_packages rows of the registrations `where` selects, as computed from
 * package_versions; a row already equal is left alone. (INSERT … SELECT needs its WHERE here
 * for SQLite to parse the upsert.)
 */
function upsert(where: string, change: TotalChange): string {
  const updates = COLUMNS.slice(1);
  const row = (table: string) => `(${updates.map((c) => `${table}.${c}`).join(', ')})`;
  const total = totalAfter(change);
  return `INSERT INTO search_packages (${COLUMNS.join(', ')})
    SELECT r.lower_id, r.id, ${total}, ${VARIANTS.map(latest).join(', ')}
    FROM package_registrations r WHERE ${where}
    ON CONFLICT (lower_id) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE ${row('search_packages')} IS NOT ${row('excluded')}`;
}

/**
 * For the batch that changes an id's versions: after those statements. `added`: the version a
 * push inserted, whose downloads join the total; an unlist or relist leaves the total as it is.
 */
export function refreshSearchPackageStatement(db: D1Database, lowerId: string, added?: string): D1PreparedStatement {
  return added === undefined
    ? db.prepare(upsert('r.lower_id = ?1', 'keep')).bind(lowerId)
    : db.prepare(upsert('r.lower_id = ?1', 'add')).bind(lowerId, added);
}

/**
 * For the batch that hard-deletes versions: their downloads leave the total, and an id left with
 * no version leaves search (its registration row stays: generations only grow).
 */
export function searchAfterDeletionStatements(db: D1Database, lowerId: string): D1PreparedStatement[] {
  return [
    db.prepare(upsert('r.lower_id = ?1', 'recount')).bind(lowerId),
    db
      .prepare(
        'DELETE FROM search_packages WHERE lower_id = ?1 AND NOT EXISTS (SELECT 1 FROM package_versions WHERE lower_id = ?1)',
      )
      .bind(lowerId),
  ];
}

/** For the batch that adds download counts: after those statements. Ids without a row change nothing. */
export function refreshDownloadTotalsStatements(db: D1Database, lowerIds: readonly string[]): D1PreparedStatement[] {
  const ids = [...new Set(lowerIds)];
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < ids.length; start += ID_CHUNK) {
    const chunk = ids.slice(start, start + ID_CHUNK);
    statements.push(
      db
        .prepare(
          `UPDATE search_packages SET total_downloads = ${totalDownloads('search_packages')}
           WHERE lower_id IN (${chunk.map(() => '?').join(', ')})`,
        )
        .bind(...chunk),
    );
  }
  return statements;
}

/** Repair: recomputes the rows of the ids in (after, last], writing only rows that differ. */
export async function convergeSearchPackages(db: D1Database, after: string, last: string): Promise<void> {
  await db.prepare(upsert('r.lower_id > ?1 AND r.lower_id <= ?2', 'recount')).bind(after, last).run();
}

/** Repair: drops rows whose registration is gone (none is ever deleted today; such a row would show in browse). */
export async function dropOrphanSearchPackages(db: D1Database): Promise<void> {
  await db
    .prepare(
      `DELETE FROM search_packages
       WHERE NOT EXISTS (SELECT 1 FROM package_registrations r WHERE r.lower_id = search_packages.lower_id)`,
    )
    .run();
}
