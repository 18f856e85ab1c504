/**
 * The V2 feed's reads (src/routes/odata.ts): package_versions rows with their id's
 * search_packages row, which holds the latest versions per SemVer level, so IsLatestVersion and
 * IsAbsoluteLatestVersion are the same answers V3 search gives. One statement per page: at most
 * `take` rows (LIMIT), ordered with the id and version last so every page is stable.
 *
 * Which versions each collection holds: Packages() and FindPackagesById() every version, listed
 * or not (as nuget.org's entity set: an unlisted one still restores when pinned, and its
 * Published says it is unlisted); Search() and GetUpdates() listed ones only. Without
 * semVerLevel=2.0.0, SemVer 2 versions are left out everywhere.
 *
 * Query plans: FindPackagesById walks package_versions_order for its id; a Search() term goes
 * through package_search (FTS) and joins rows by rowid; Packages() filters other than
 * `tolower(Id) eq` scan package_versions, bounded by the feed's size and LIMIT.
 */
import type { OrderField, V2Query } from '../nuget/odataQuery';
import { parseV2SearchTerm } from '../nuget/odataSearchTerm';
import { ftsMatch } from '../nuget/searchQuery';
import type { V2Package } from '../nuget/v2Entry';
import { versionSortKey } from '../nuget/version';
import { sortKeyBounds } from '../nuget/versionSelection';
import type { StoredRow } from './columns';
import { filterSql } from './odataFilterSql';
import { RANKED_MATCH } from './search';
import { versionRows } from './versionColumns';

interface Statement {
  from: string;
  where: string[];
  params: unknown[];
  order: string;
  orderParams: unknown[];
}

const orderColumns: Record<OrderField, string> = {
  Id: 'v.lower_id',
  Version: 'v.sort_key',
  DownloadCount: 's.total_downloads',
  VersionDownloadCount: 'v.downloads',
  // What the entry shows: an unlisted version's Published is 1900.
  Published: "CASE WHEN v.listed = 1 THEN v.published ELSE '1900' END",
  Created: 'v.created',
  LastEdited: 'v.last_edited',
  Title: 'v.title',
};
const STABLE_ORDER = 'v.lower_id, v.sort_key';
const levelOf = (q: V2Query) => (q.semVer2 ? 'semver2' : 'semver1');

function columnsOf(level: string): string {
  return `v.*, s.total_downloads AS v2_total_downloads,
    (v.lower_version IS s.latest_stable_${level}) AS v2_latest,
    (v.lower_version IS s.latest_prerelease_${level}) AS v2_absolute_latest`;
}

function visible(q: V2Query, listedOnly: boolean): string[] {
  return [
    ...(q.semVer2 ? [] : ['v.is_semver2 = 0']),
    ...(listedOnly ? ['v.listed = 1'] : []),
    ...(listedOnly && !q.includePrerelease ? ['v.is_prerelease = 0'] : []),
  ];
}

/** Search(): the term's FTS match, ids, versions and exact tags; ranked exact id first, then relevance. */
function searchStatement(q: V2Query, base: Statement): Statement | null {
  const { query, tags } = parseV2SearchTerm(q.searchTerm);
  if (query.matchesNothing) return null;
  const match = ftsMatch(query.text);
  const from = match ? `${base.from} ${RANKED_MATCH}` : base.from;
  const exact = query.exactIds.slice(0, 16);
  return {
    from,
    where: [
      ...base.where,
      ...query.packageIds.map(() => 'v.lower_id = ?'),
      ...query.versions.map(() => 'v.lower_version = ?'),
      ...tags.map(() => "instr(' ' || lower(v.tags) || ' ', ?) > 0"),
    ],
    params: [
      ...(match ? [match] : []),
      ...base.params,
      ...query.packageIds,
      ...query.versions,
      ...tags.map((t) => ` ${t} `),
    ],
    order: `${exact.length > 0 ? `v.lower_id IN (${exact.map(() => '?').join(', ')}) DESC, ` : ''}${
      match ? 'm.score, ' : ''
    }s.total_downloads DESC, v.lower_id, v.sort_key DESC`,
    orderParams: exact,
  };
}

/** GetUpdates(): each id's listed versions above the client's, within its constraint; the newest only unless all. */
function updatesStatement(q: V2Query, base: Statement): Statement {
  const updates = q.updates ?? { packages: [], includeAllVersions: false };
  const rows = updates.packages.map((p) => {
    const bounds = p.range ? sortKeyBounds(p.range) : null;
    return [p.lowerId, versionSortKey(p.version), bounds?.min, bounds?.minInclusive, bounds?.max, bounds?.maxInclusive];
  });
  const within = (alias: string) => `${alias}.sort_key > json_extract(u.value, '$[1]')
    AND (json_extract(u.value, '$[2]') IS NULL OR ${alias}.sort_key > json_extract(u.value, '$[2]')
         OR (json_extract(u.value, '$[3]') AND ${alias}.sort_key = json_extract(u.value, '$[2]')))
    AND (json_extract(u.value, '$[4]') IS NULL OR ${alias}.sort_key < json_extract(u.value, '$[4]')
         OR (json_extract(u.value, '$[5]') AND ${alias}.sort_key = json_extract(u.value, '$[4]')))`;
  const newer = visible(q, true).map((c) => c.replaceAll('v.', 'w.'));
  const newest = `NOT EXISTS (SELECT 1 FROM package_versions w WHERE w.lower_id = v.lower_id AND w.sort_key > v.sort_key
    AND ${[...newer, within('w')].join(' AND ')})`;
  return {
    ...base,
    from: `json_each(?) u CROSS JOIN package_versions v JOIN search_packages s ON s.lower_id = v.lower_id`,
    where: [
      `v.lower_id = json_extract(u.value, '$[0]')`,
      within('v'),
      ...base.where,
      ...(updates.includeAllVersions ? [] : [newest]),
    ],
    params: [JSON.stringify(rows), ...base.params],
  };
}

function statementOf(q: V2Query): Statement | null {
  const level = levelOf(q);
  const listedOnly = q.collection === 'Search' || q.collection === 'GetUpdates';
  const filter = q.filter ? filterSql(q.filter, level) : null;
  const base: Statement = {
    from: 'package_versions v JOIN search_packages s ON s.lower_id = v.lower_id',
    where: [
      ...visible(q, listedOnly),
      ...(q.lowerId === null ? [] : ['v.lower_id = ?']),
      ...(filter ? [filter.sql] : []),
    ],
    params: [...(q.lowerId === null ? [] : [q.lowerId]), ...(filter?.params ?? [])],
    order: STABLE_ORDER,
    orderParams: [],
  };
  const statement =
    q.collection === 'Search'
      ? searchStatement(q, base)
      : q.collection === 'GetUpdates'
        ? updatesStatement(q, base)
        : base;
  if (statement === null || q.orderBy.length === 0) return statement;
  const order = q.orderBy.map((item) => `${orderColumns[item.field]}${item.descending ? ' DESC' : ''}`);
  return { ...statement, order: `${order.join(', ')}, ${STABLE_ORDER}`, orderParams: [] };
}

function decode(row: StoredRow): V2Package {
  return {
    record: versionRows.decode(row),
    totalDownloads: row.v2_total_downloads as number,
    isLatestVersion: row.v2_latest === 1,
    isAbsoluteLatestVersion: row.v2_absolute_latest === 1,
  };
}

/** One page of a collection: at most `take` entries after `skip`. */
export async function v2Packages(db: D1Database, q: V2Query, skip: number, take: number): Promise<V2Package[]> {
  const statement = statementOf(q);
  if (statement === null || take === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT ${columnsOf(levelOf(q))} FROM ${statement.from} WHERE ${statement.where.join(' AND ') || '1'}
       ORDER BY ${statement.order} LIMIT ? OFFSET ?`,
    )
    .bind(...statement.params, ...statement.orderParams, take, skip)
    .all<StoredRow>();
  return results.map(decode);
}

/** How many entries the whole collection holds (for /$count). */
export async function v2PackageCount(db: D1Database, q: V2Query): Promise<number> {
  const statement = statementOf(q);
  if (statement === null) return 0;
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM ${statement.from} WHERE ${statement.where.join(' AND ') || '1'}`)
    .bind(...statement.params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Packages(Id='…',Version='…'): one version, listed or not, if the request's SemVer level shows it. */
export async function v2Package(
  db: D1Database,
  lowerId: string,
  lowerVersion: string,
  semVer2: boolean,
): Promise<V2Package | null> {
  const level = semVer2 ? 'semver2' : 'semver1';
  const row = await db
    .prepare(
      `SELECT ${columnsOf(level)} FROM package_versions v JOIN search_packages s ON s.lower_id = v.lower_id
       WHERE v.lower_id = ? AND v.lower_version = ?${semVer2 ? '' : ' AND v.is_semver2 = 0'}`,
    )
    .bind(lowerId, lowerVersion)
    .first<StoredRow>();
  return row ? decode(row) : null;
}
