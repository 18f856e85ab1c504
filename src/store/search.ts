/**
 * All search and autocomplete SQL (protocol §5, §6). Only listed versions the request's
 * prerelease/semVerLevel allow are "eligible" (§3.4, §9.5). A package is a hit when ANY eligible
 * version matches every term (FTS rows, ids and versions are per version); it is shown with its
 * latest eligible version, chosen in TypeScript in NuGet order (§9.3), never by SQL string order.
 *
 * Search query plan (EXPLAIN QUERY PLAN, local D1):
 *   m    = package_search MATCH ? (FTS index), bm25 weights id 10, title 5, tags 3, summary 2
 *   hits = m ⋈ package_versions by rowid (integer primary key), eligible rows only, GROUP BY id:
 *          exact-id flag, best rank, total downloads (primary key lookup per id); ordered exact id
 *          first, then rank, downloads, id. Without q: a scan of package_versions instead of m.
 *   Common case, ONE batch: [ hits LIMIT/OFFSET ⋈ registration ⋈ that page's eligible versions
 *          (primary key lookups), COUNT(DISTINCT id) over the same rows ].
 *   With packageType the filter needs each hit's latest eligible version, which SQL cannot
 *   order: batch 1 = every hit with its eligible (version, packageTypes) pairs; TypeScript
 *   filters and pages; batch 2 = the page's versions, ids chunked under D1's 100 parameters.
 */
import type { AutocompleteCandidate } from '../nuget/autocomplete';
import type { SearchPackage } from '../nuget/search';
import { declaresPackageType, latestVersion } from '../nuget/search';
import type { SearchQuery } from '../nuget/searchQuery';
import { ftsMatch } from '../nuget/searchQuery';
import type { PackageType } from '../nuget/types';
import { recordOf } from './packages';

export interface Eligibility {
  prerelease: boolean;
  semVer2: boolean;
}

export interface SearchPage {
  totalHits: number;
  packages: SearchPackage[];
}

type VersionRow = Parameters<typeof recordOf>[0] & { display_id: string; total_downloads: number };
type HitRow = { lower_id: string; total_downloads: number; eligible?: string };

/** Ids per IN list: D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;
/** Relevance (§5.2: exact id first is a good rule). With no text terms every score is 0: by downloads, then id. */
const RANKING = 'ORDER BY exact DESC, score, total_downloads DESC, lower_id';

/** Eligible rows of `alias`. Built from booleans only: no request text enters the SQL. */
function eligible(alias: string, e: Eligibility): string {
  const prerelease = e.prerelease ? '' : ` AND ${alias}.is_prerelease = 0`;
  return `${alias}.listed = 1${prerelease}${e.semVer2 ? '' : ` AND ${alias}.is_semver2 = 0`}`;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** JSON [[version, packageTypes], ...] of the id's eligible versions, for the packageType filter. */
function eligibleTypes(owner: string, e: Eligibility): string {
  return `(SELECT json_group_array(json_array(t.version, json(t.package_types))) FROM package_versions t
           WHERE t.lower_id = ${owner}.lower_id AND ${eligible('t', e)}) AS eligible`;
}

/** nuget.org counts every version's downloads, listed or not. */
function totalDownloads(owner: string): string {
  return `(SELECT SUM(d.downloads) FROM package_versions d WHERE d.lower_id = ${owner}.lower_id) AS total_downloads`;
}

/**
 * FROM/WHERE of the matching eligible version rows. bm25() is only allowed in the FTS query
 * itself: LIMIT -1 keeps SQLite from flattening that subquery into the grouped query (flattener
 * rules 8, 9). User text arrives only as bound values; the MATCH string is built of quoted tokens.
 */
function matchingRows(query: SearchQuery, e: Eligibility): { sql: string; params: unknown[]; ranked: boolean } {
  const match = ftsMatch(query.text);
  const sql = `FROM package_versions v
    ${match ? `JOIN (SELECT rowid, bm25(package_search, 10.0, 5.0, 1.0, 2.0, 3.0, 1.0) AS score
                     FROM package_search WHERE package_search MATCH ? LIMIT -1) m ON m.rowid = v.rowid` : ''}
    WHERE ${eligible('v', e)}
      ${query.packageIds.map(() => 'AND v.lower_id = ?').join(' ')}
      ${query.versions.map(() => 'AND v.lower_version = ?').join(' ')}`;
  return { sql, params: [...(match ? [match] : []), ...query.packageIds, ...query.versions], ranked: match !== null };
}

/** One row per matching id: lower_id, exact, score (bm25: lower is better), total_downloads[, eligible]. */
function hits(query: SearchQuery, e: Eligibility, withTypes: boolean): { sql: string; params: unknown[] } {
  const rows = matchingRows(query, e);
  const exact = query.exactIds.length > 0 ? `MAX(v.lower_id IN (${placeholders(query.exactIds.length)}))` : '0';
  return {
    sql: `SELECT v.lower_id AS lower_id, ${exact} AS exact, ${rows.ranked ? 'MIN(m.score)' : '0'} AS score,
            ${totalDownloads('v')}${withTypes ? `, ${eligibleTypes('v', e)}` : ''}
          ${rows.sql} GROUP BY v.lower_id ${RANKING}`,
    params: [...query.exactIds, ...rows.params],
  };
}

const versionColumns = 'v.*, r.id AS display_id, h.total_downloads AS total_downloads';

/** Version rows grouped into hits, in `order`. */
function packagesOf(rows: VersionRow[], order: string[]): SearchPackage[] {
  const byId = new Map<string, SearchPackage>();
  for (const row of rows) {
    const hit = byId.get(row.lower_id) ?? { id: row.display_id, totalDownloads: row.total_downloads, versions: [] };
    hit.versions.push(recordOf(row));
    byId.set(row.lower_id, hit);
  }
  return order.flatMap((lowerId) => byId.get(lowerId) ?? []);
}

/** §5.1: the latest of the id's eligible versions declares `packageType`. */
function latestDeclares(row: HitRow, packageType: string): boolean {
  const pairs = JSON.parse(row.eligible ?? '[]') as [string, PackageType[]][];
  const latest = latestVersion(pairs.map(([version, types]) => ({ version, types })));
  return latest !== undefined && declaresPackageType(latest.types, packageType);
}

export async function searchPackages(
  db: D1Database,
  query: SearchQuery,
  e: Eligibility,
  page: { skip: number; take: number; packageType: string | null },
): Promise<SearchPage> {
  if (query.matchesNothing) return { totalHits: 0, packages: [] };
  if (page.packageType === null) {
    const ranked = hits(query, e, false);
    const rows = matchingRows(query, e);
    const [versions, count] = await db.batch([
      db
        .prepare(
          `WITH h AS (${ranked.sql} LIMIT ? OFFSET ?)
           SELECT ${versionColumns} FROM h
           JOIN package_registrations r ON r.lower_id = h.lower_id
           JOIN package_versions v ON v.lower_id = h.lower_id AND ${eligible('v', e)}
           ORDER BY h.exact DESC, h.score, h.total_downloads DESC, h.lower_id`,
        )
        .bind(...ranked.params, page.take, page.skip),
      db.prepare(`SELECT COUNT(DISTINCT v.lower_id) AS n ${rows.sql}`).bind(...rows.params),
    ]);
    const found = (versions?.results ?? []) as VersionRow[];
    return {
      totalHits: (count?.results[0] as { n: number } | undefined)?.n ?? 0,
      packages: packagesOf(found, [...new Set(found.map((r) => r.lower_id))]),
    };
  }
  const typed = hits(query, e, true);
  const { results } = await db.prepare(typed.sql).bind(...typed.params).all<HitRow>();
  const packageType = page.packageType;
  const matching = results.filter((row) => latestDeclares(row, packageType));
  const onPage = matching.slice(page.skip, page.skip + page.take).map((h) => h.lower_id);
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < onPage.length; i += ID_CHUNK) {
    const ids = onPage.slice(i, i + ID_CHUNK);
    statements.push(
      db
        .prepare(
          `SELECT ${versionColumns} FROM package_versions v
           JOIN package_registrations r ON r.lower_id = v.lower_id
           JOIN (SELECT x.lower_id AS lower_id, ${totalDownloads('x')} FROM package_registrations x
                 WHERE x.lower_id IN (${placeholders(ids.length)})) h ON h.lower_id = v.lower_id
           WHERE ${eligible('v', e)}`,
        )
        .bind(...ids),
    );
  }
  const batches = statements.length > 0 ? await db.batch(statements) : [];
  return { totalHits: matching.length, packages: packagesOf(batches.flatMap((b) => b.results) as VersionRow[], onPage) };
}

/**
 * §6.1 candidates: ids containing `lowerQ` (empty: every id) with at least one eligible version
 * and, with packageType, whose latest eligible version declares it. Ranking is the pure builder's.
 */
export async function autocompleteCandidates(
  db: D1Database,
  lowerQ: string,
  e: Eligibility,
  packageType: string | null,
): Promise<AutocompleteCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT r.id AS id, r.lower_id AS lower_id, ${totalDownloads('r')}${packageType ? `, ${eligibleTypes('r', e)}` : ''}
       FROM package_registrations r
       WHERE instr(r.lower_id, ?) > 0
         AND EXISTS (SELECT 1 FROM package_versions v WHERE v.lower_id = r.lower_id AND ${eligible('v', e)})`,
    )
    .bind(lowerQ)
    .all<HitRow & { id: string }>();
  return results
    .filter((row) => packageType === null || latestDeclares(row, packageType))
    .map((row) => ({ id: row.id, lowerId: row.lower_id, totalDownloads: row.total_downloads }));
}

/** §6.2: the eligible listed versions of one id, full strings, unordered. */
export async function eligibleVersionStrings(db: D1Database, lowerId: string, e: Eligibility): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT v.version AS version FROM package_versions v WHERE v.lower_id = ? AND ${eligible('v', e)}`)
    .bind(lowerId)
    .all<{ version: string }>();
  return results.map((r) => r.version);
}
