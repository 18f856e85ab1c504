/**
 * The page statement of search (protocol §5.3). Given CTEs ending in `h`, the ranked hits of one
 * page (lower_id, exact, score, total_downloads, display_id, latest, total), one statement returns
 * each hit's latest eligible version in full and all its eligible versions as compact JSON
 * [version, lower_version, downloads, sort_key] in parts of at most 1,000: a hit with thousands of
 * versions costs a few rows instead of thousands of full ones, and no string nears D1's 2 MB
 * value limit (docs/platform.md §4).
 */
import type { SearchPackage, SearchPackageVersion } from '../nuget/search';
import type { Severity } from '../nuget/vulnerabilities';
import type { StoredRow } from './columns';
import { type Eligibility, eligible } from './searchIndex';
import { versionRows } from './versionColumns';

/** The hit's advisories as compact JSON [url, severity, versions]: a result lists its latest version's (§5.3). */
const ADVISORIES = `(SELECT json_group_array(json_array(a.url, a.severity, a.versions))
  FROM package_advisories a WHERE a.lower_id = h.lower_id)`;

/** Relevance (§5.2: exact id first is a good rule); with no text terms every score is 0: by downloads, then id. */
export const HIT_ORDER = 'exact DESC, score, total_downloads DESC, lower_id';
const VERSIONS_PER_PART = 1000;

type PageRow = StoredRow & {
  lower_id: string;
  display_id: string;
  total_downloads: number;
  hit_total: number | null;
  versions: string;
  advisories: string;
};
type VersionEntry = [version: string, lowerVersion: string, downloads: number, sortKey: string];

/**
 * `WITH ${ctes} …`: one row per hit and part, in rank order. CROSS JOIN keeps h the outer loop
 * (SQLite's rule for CROSS JOIN): otherwise the planner may feed the window's partitions by
 * walking all of package_versions_order instead of looking up the page's ids.
 */
export function pageSql(ctes: string, e: Eligibility): string {
  return `WITH ${ctes},
    vs AS (SELECT x.lower_id AS lower_id, x.version AS version, x.lower_version AS lower_version,
                  x.downloads AS downloads, x.sort_key AS sort_key,
                  (row_number() OVER (PARTITION BY x.lower_id) - 1) / ${VERSIONS_PER_PART} AS part
           FROM h CROSS JOIN package_versions x WHERE x.lower_id = h.lower_id AND ${eligible('x', e)}),
    parts AS (SELECT lower_id, part,
                     json_group_array(json_array(version, lower_version, downloads, sort_key)) AS versions
              FROM vs GROUP BY lower_id, part)
    SELECT v.*, h.display_id AS display_id, h.total_downloads AS total_downloads, h.total AS hit_total,
           p.versions AS versions, ${ADVISORIES} AS advisories
    FROM h JOIN package_versions v ON v.lower_id = h.lower_id AND v.lower_version = h.latest
    JOIN parts p ON p.lower_id = h.lower_id
    ORDER BY h.exact DESC, h.score, h.total_downloads DESC, h.lower_id, p.part`;
}

/** The hits total the page rows carry; null when there are none (a page past the end). */
export function totalOf(rows: readonly unknown[]): number | null {
  return (rows[0] as PageRow | undefined)?.hit_total ?? null;
}

/** Byte order of sort_key is NuGet order (versionSortKey). */
const bySortKey = (a: VersionEntry, b: VersionEntry) => (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);

/** Page rows grouped into hits, in the order of their first row. */
export function packagesOf(rows: readonly unknown[]): SearchPackage[] {
  const hits = new Map<string, { hit: SearchPackage; entries: VersionEntry[] }>();
  for (const row of rows as PageRow[]) {
    const found = hits.get(row.lower_id);
    const entries = JSON.parse(row.versions) as VersionEntry[];
    if (found) {
      found.entries.push(...entries);
      continue;
    }
    const hit: SearchPackage = {
      id: row.display_id,
      lowerId: row.lower_id,
      totalDownloads: row.total_downloads,
      latest: versionRows.decode(row),
      versions: [],
      advisories: (JSON.parse(row.advisories) as [string, Severity, string][]).map(([url, severity, versions]) => ({
        id: row.lower_id,
        url,
        severity,
        versions,
      })),
    };
    hits.set(row.lower_id, { hit, entries });
  }
  return [...hits.values()].map(({ hit, entries }) => {
    const versions: SearchPackageVersion[] = entries
      .sort(bySortKey)
      .map(([version, lowerVersion, downloads]) => ({ version, lowerVersion, downloads }));
    return { ...hit, versions };
  });
}
