/**
 * The reads of the web gallery (src/routes/home.ts, packageSearchPage.ts, packageDetails.ts) over
 * search_packages and package_versions: feed totals, the recently published ids, an id's latest
 * listed version and its version table, and which dependency ids the feed has. Reads only: a page
 * view writes nothing. The search results themselves are searchPackages (search.ts), so the
 * gallery and the API rank and filter alike.
 */
import { latestColumn } from './searchIndex';
import type { StoredRow } from './columns';
import type { PackageVersionRecord } from '../nuget/types';
import { versionRows } from './versionColumns';
import type { VersionSummary } from '../gallery/packageParts';

/** What a browser may see: every listed version, prerelease and SemVer 2 included. */
const ALL_LISTED = latestColumn({ prerelease: true, semVer2: true });
/** nuget.org's "latest": the newest listed stable version, else the newest listed prerelease. */
const LATEST_SHOWN = `COALESCE(s.${latestColumn({ prerelease: false, semVer2: true })}, s.${ALL_LISTED})`;

export interface FeedTotals {
  packages: number;
  versions: number;
  downloads: number;
}

export async function feedTotals(db: D1Database): Promise<FeedTotals> {
  const row = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM search_packages WHERE ${ALL_LISTED} IS NOT NULL) AS packages,
              (SELECT COUNT(*) FROM package_versions WHERE listed = 1) AS versions,
              (SELECT COALESCE(SUM(total_downloads), 0) FROM search_packages) AS downloads`,
    )
    .first<FeedTotals>();
  return row ?? { packages: 0, versions: 0, downloads: 0 };
}

/** The ids whose latest listed version was published last, with that version in full. */
export async function recentlyPublished(db: D1Database, limit: number): Promise<PackageVersionRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT v.* FROM search_packages s
       JOIN package_versions v ON v.lower_id = s.lower_id AND v.lower_version = s.${ALL_LISTED}
       ORDER BY v.published DESC, v.lower_id LIMIT ?`,
    )
    .bind(limit)
    .all<StoredRow>();
  return results.map((row) => versionRows.decode(row));
}

/** The version `/packages/{id}` shows: the latest listed one, else (every version unlisted) the newest. */
export async function latestShownVersion(db: D1Database, lowerId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT COALESCE((SELECT ${LATEST_SHOWN} FROM search_packages s WHERE s.lower_id = ?1),
                       (SELECT lower_version FROM package_versions WHERE lower_id = ?1 ORDER BY sort_key DESC LIMIT 1))
              AS lower_version`,
    )
    .bind(lowerId)
    .first<{ lower_version: string | null }>();
  return row?.lower_version ?? null;
}

export interface VersionTable {
  versions: VersionSummary[];
  /** Every version's, listed or not. */
  total: number;
  totalDownloads: number;
}

/** An id's versions, newest first (NuGet order), at most `limit`; how many there are and their downloads in all. */
export async function versionSummaries(db: D1Database, lowerId: string, limit: number): Promise<VersionTable> {
  const { results } = await db
    .prepare(
      `SELECT version, lower_version, published, downloads, listed, is_prerelease,
              (SELECT COUNT(*) FROM package_versions WHERE lower_id = ?1) AS total,
              (SELECT COALESCE(SUM(downloads), 0) FROM package_versions WHERE lower_id = ?1) AS total_downloads
       FROM package_versions WHERE lower_id = ?1 ORDER BY sort_key DESC LIMIT ?2`,
    )
    .bind(lowerId, limit)
    .all<{
      version: string;
      lower_version: string;
      published: string;
      downloads: number;
      listed: number;
      is_prerelease: number;
      total: number;
      total_downloads: number;
    }>();
  const versions = results.map((r) => ({
    version: r.version,
    lowerVersion: r.lower_version,
    published: r.published,
    downloads: r.downloads,
    listed: r.listed === 1,
    isPrerelease: r.is_prerelease === 1,
  }));
  return { versions, total: results[0]?.total ?? 0, totalDownloads: results[0]?.total_downloads ?? 0 };
}

/**
 * Which of these lower ids have a listed version on the feed (dependency links). The ids go in as
 * one JSON array parameter, so any number of them stays within D1's 100 bound parameters.
 */
export async function listedIds(db: D1Database, lowerIds: readonly string[]): Promise<Set<string>> {
  if (lowerIds.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT lower_id FROM search_packages
       WHERE ${ALL_LISTED} IS NOT NULL AND lower_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify([...new Set(lowerIds)]))
    .all<{ lower_id: string }>();
  return new Set(results.map((row) => row.lower_id));
}
