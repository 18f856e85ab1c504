/**
 * Search and autocomplete reads (protocol §5, §6). Only listed versions the request's
 * prerelease/semVerLevel allow are "eligible" (§3.4, §9.5). A package is a hit when ANY eligible
 * version matches every term (FTS rows, ids and versions are per version); it is shown with its
 * latest eligible version in NuGet order (§9.3), which search_packages holds per eligibility.
 *
 * Query plans (EXPLAIN QUERY PLAN, local D1):
 *   browse (no terms): h = a walk down search_packages_popular (most downloaded first) to
 *          OFFSET + LIMIT ids with a latest version; total = a COUNT over search_packages.
 *   terms: g = package_search MATCH (FTS index; bm25 weights id 10, title 5, tags 3, summary 2)
 *          ⋈ package_versions by rowid, eligible and filtered rows, GROUP BY id: the best rank per
 *          id; materialized once. h = g ⋈ search_packages (primary key) for downloads and latest
 *          version, ranked exact id first, LIMIT/OFFSET; total = COUNT(g), same statement.
 *   Either way ONE statement (searchPage.ts) adds the page's versions (primary key lookups). A
 *   page past the end carries no total: a second query counts.
 *   With packageType the filter reads each hit's latest eligible version's types and runs in
 *   TypeScript (names compare as JavaScript lowercases them): batch 1 = every hit with those
 *   types, in rank order; batch 2 = the page, ids chunked under D1's 100 parameters.
 */
import type { AutocompleteCandidate } from '../nuget/autocomplete';
import type { SearchPackage } from '../nuget/search';
import { declaresPackageType } from '../nuget/search';
import type { SearchQuery } from '../nuget/searchQuery';
import { ftsMatch } from '../nuget/searchQuery';
import type { PackageType } from '../nuget/types';
import { type Eligibility, eligible, latestColumn } from './searchIndex';
import { HIT_ORDER, packagesOf, pageSql, totalOf } from './searchPage';

export interface SearchPage {
  totalHits: number;
  packages: SearchPackage[];
}

/** `h` and the CTEs it needs, for `WITH …` (searchPage.ts), with their parameters. */
interface HitsCtes {
  ctes: string;
  params: unknown[];
}

/** Hits of a query: when built `limited`, h ends in LIMIT ? OFFSET ? (bind take, skip after `params`). */
interface Hits extends HitsCtes {
  /** Counts every hit, for a page past the end. */
  count: { sql: string; params: unknown[] };
}

/** Ids per IN list: D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Every id with an eligible version, most downloaded first. */
function browseHits(e: Eligibility, limited: boolean): Hits {
  const latest = latestColumn(e);
  const count = `SELECT COUNT(*) AS n FROM search_packages s WHERE s.${latest} IS NOT NULL`;
  const ctes = `h AS MATERIALIZED (
    SELECT s.lower_id AS lower_id, 0 AS exact, 0 AS score, s.total_downloads AS total_downloads, s.id AS display_id,
           s.${latest} AS latest, (${count}) AS total
    FROM search_packages s WHERE s.${latest} IS NOT NULL
    ORDER BY s.total_downloads DESC, s.lower_id ${limited ? 'LIMIT ? OFFSET ?' : ''})`;
  return { ctes, params: [], count: { sql: count, params: [] } };
}

/**
 * The versions (`v`) matching an FTS MATCH string (bound first), each with its relevance `m.score`
 * (lower is better, the columns weighted as above): one ranking for V3 search and V2 Search().
 */
export const RANKED_MATCH = `JOIN (SELECT rowid, bm25(package_search, 10.0, 5.0, 1.0, 2.0, 3.0, 1.0) AS score
  FROM package_search WHERE package_search MATCH ? LIMIT -1) m ON m.rowid = v.rowid`;

/**
 * Ids with an eligible version matching every term. bm25() is only allowed in the FTS query
 * itself: LIMIT -1 keeps SQLite from flattening that subquery into the grouped query (flattener
 * rules 8, 9). User text arrives only as bound values; the MATCH string is built of quoted tokens.
 */
function matchingHits(query: SearchQuery, e: Eligibility, limited: boolean): Hits {
  const match = ftsMatch(query.text);
  const g = `g AS MATERIALIZED (
    SELECT v.lower_id AS lower_id, ${match ? 'MIN(m.score)' : '0'} AS score FROM package_versions v
    ${match ? RANKED_MATCH : ''}
    WHERE ${eligible('v', e)}
      ${query.packageIds.map(() => 'AND v.lower_id = ?').join(' ')}
      ${query.versions.map(() => 'AND v.lower_version = ?').join(' ')}
    GROUP BY v.lower_id)`;
  const gParams = [...(match ? [match] : []), ...query.packageIds, ...query.versions];
  const exact = query.exactIds.length > 0 ? `g.lower_id IN (${placeholders(query.exactIds.length)})` : '0';
  const h = `h AS MATERIALIZED (
    SELECT g.lower_id AS lower_id, ${exact} AS exact, g.score AS score, s.total_downloads AS total_downloads,
           s.id AS display_id, s.${latestColumn(e)} AS latest, (SELECT COUNT(*) FROM g) AS total
    FROM g JOIN search_packages s ON s.lower_id = g.lower_id
    ORDER BY ${HIT_ORDER} ${limited ? 'LIMIT ? OFFSET ?' : ''})`;
  return {
    ctes: `${g}, ${h}`,
    params: [...gParams, ...query.exactIds],
    count: { sql: `WITH ${g} SELECT COUNT(*) AS n FROM g`, params: gParams },
  };
}

function hitsOf(query: SearchQuery, e: Eligibility, limited: boolean): Hits {
  const browse = query.text.length === 0 && query.packageIds.length === 0 && query.versions.length === 0;
  return browse ? browseHits(e, limited) : matchingHits(query, e, limited);
}

/** The page's hits, ids known (the packageType path): rank order is restored by the caller. */
function knownHits(lowerIds: readonly string[], e: Eligibility): HitsCtes {
  const ctes = `h AS MATERIALIZED (
    SELECT s.lower_id AS lower_id, 0 AS exact, 0 AS score, s.total_downloads AS total_downloads, s.id AS display_id,
           s.${latestColumn(e)} AS latest, NULL AS total
    FROM search_packages s WHERE s.lower_id IN (${placeholders(lowerIds.length)}))`;
  return { ctes, params: [...lowerIds] };
}

/** Joins `t`: the version `latest` names, whose package_types the packageType filter reads. */
function latestTypesJoin(owner: string, latest: string): string {
  return `JOIN package_versions t ON t.lower_id = ${owner}.lower_id AND t.lower_version = ${latest}`;
}

/** §5.1: the latest of the id's eligible versions declares every one of `packageTypes`. */
function latestDeclares(types: string, packageTypes: readonly string[]): boolean {
  const declared = JSON.parse(types) as PackageType[];
  return packageTypes.every((packageType) => declaresPackageType(declared, packageType));
}

async function typedSearch(
  db: D1Database,
  query: SearchQuery,
  e: Eligibility,
  page: { skip: number; take: number; packageTypes: readonly string[] },
): Promise<SearchPage> {
  const hits = hitsOf(query, e, false);
  const { results } = await db
    .prepare(
      `WITH ${hits.ctes}
       SELECT h.lower_id AS lower_id, t.package_types AS types FROM h ${latestTypesJoin('h', 'h.latest')}
       ORDER BY h.exact DESC, h.score, h.total_downloads DESC, h.lower_id`,
    )
    .bind(...hits.params)
    .all<{ lower_id: string; types: string }>();
  const matching = results.filter((row) => latestDeclares(row.types, page.packageTypes));
  const onPage = matching.slice(page.skip, page.skip + page.take).map((h) => h.lower_id);
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < onPage.length; i += ID_CHUNK) {
    const known = knownHits(onPage.slice(i, i + ID_CHUNK), e);
    statements.push(db.prepare(pageSql(known.ctes, e)).bind(...known.params));
  }
  const rows = (statements.length > 0 ? await db.batch(statements) : []).flatMap((b) => b.results);
  const byId = new Map(packagesOf(rows).map((hit) => [hit.lowerId, hit]));
  return { totalHits: matching.length, packages: onPage.flatMap((lowerId) => byId.get(lowerId) ?? []) };
}

export async function searchPackages(
  db: D1Database,
  query: SearchQuery,
  e: Eligibility,
  page: { skip: number; take: number; packageType: string | null },
): Promise<SearchPage> {
  if (query.matchesNothing) return { totalHits: 0, packages: [] };
  // The packageType parameter and `packagetype:` terms (§5.1, §5.2) filter alike.
  const packageTypes = [...(page.packageType === null ? [] : [page.packageType]), ...query.packageTypes];
  if (packageTypes.length > 0) return typedSearch(db, query, e, { ...page, packageTypes });
  const hits = hitsOf(query, e, true);
  const { results } = await db
    .prepare(pageSql(hits.ctes, e))
    .bind(...hits.params, page.take, page.skip)
    .all();
  let total = totalOf(results);
  if (total === null && page.skip > 0) {
    total =
      (
        await db
          .prepare(hits.count.sql)
          .bind(...hits.count.params)
          .first<{ n: number }>()
      )?.n ?? 0;
  }
  return { totalHits: total ?? 0, packages: packagesOf(results) };
}

/**
 * §6.1 candidates: ids containing `lowerQ` (empty: every id) with an eligible version and, with
 * packageType, whose latest eligible version declares it. Ranking is the pure builder's.
 */
export async function autocompleteCandidates(
  db: D1Database,
  lowerQ: string,
  e: Eligibility,
  packageType: string | null,
): Promise<AutocompleteCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id AS id, s.lower_id AS lower_id, s.total_downloads AS total_downloads
              ${packageType ? ', t.package_types AS types' : ''}
       FROM search_packages s ${packageType ? latestTypesJoin('s', `s.${latestColumn(e)}`) : ''}
       WHERE instr(s.lower_id, ?) > 0 AND s.${latestColumn(e)} IS NOT NULL`,
    )
    .bind(lowerQ)
    .all<{ id: string; lower_id: string; total_downloads: number; types?: string }>();
  return results
    .filter((row) => packageType === null || latestDeclares(row.types ?? '[]', [packageType]))
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
