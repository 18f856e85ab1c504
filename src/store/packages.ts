/**
 * The one author of SQL over package_registrations, package_versions and package_search.
 * Writers return prepared statements so a caller can commit a whole change in one atomic
 * D1 batch (D1 has no interactive transactions; a failed batch rolls back entirely).
 */
import type { PackageRegistration, PackageVersionRecord } from '../nuget/types';
import { parseVersion, versionSortKey } from '../nuget/version';
import { refreshSearchPackageStatement } from './searchIndex';

interface VersionRow {
  lower_id: string;
  lower_version: string;
  id: string;
  version: string;
  original_version: string;
  is_prerelease: number;
  is_semver2: number;
  listed: number;
  created: string;
  published: string;
  package_hash: string;
  package_size: number;
  authors: string;
  description: string;
  title: string;
  summary: string;
  tags: string;
  project_url: string;
  icon_url: string;
  license_url: string;
  license_expression: string;
  release_notes: string;
  copyright: string;
  language: string;
  min_client_version: string;
  require_license_acceptance: number;
  development_dependency: number;
  has_readme: number;
  icon_content_type: string;
  package_types: string;
  dependency_groups: string;
  downloads: number;
}

export function recordOf(row: VersionRow): PackageVersionRecord {
  return {
    lowerId: row.lower_id,
    lowerVersion: row.lower_version,
    id: row.id,
    version: row.version,
    originalVersion: row.original_version,
    isPrerelease: row.is_prerelease === 1,
    isSemVer2: row.is_semver2 === 1,
    listed: row.listed === 1,
    created: row.created,
    published: row.published,
    packageHash: row.package_hash,
    packageSize: row.package_size,
    authors: row.authors,
    description: row.description,
    title: row.title,
    summary: row.summary,
    tags: row.tags,
    projectUrl: row.project_url,
    iconUrl: row.icon_url,
    licenseUrl: row.license_url,
    licenseExpression: row.license_expression,
    releaseNotes: row.release_notes,
    copyright: row.copyright,
    language: row.language,
    minClientVersion: row.min_client_version,
    requireLicenseAcceptance: row.require_license_acceptance === 1,
    developmentDependency: row.development_dependency === 1,
    hasReadme: row.has_readme === 1,
    iconContentType: row.icon_content_type,
    packageTypes: JSON.parse(row.package_types),
    dependencyGroups: JSON.parse(row.dependency_groups),
    downloads: row.downloads,
  };
}

function rowOf(r: PackageVersionRecord): VersionRow {
  return {
    lower_id: r.lowerId,
    lower_version: r.lowerVersion,
    id: r.id,
    version: r.version,
    original_version: r.originalVersion,
    is_prerelease: r.isPrerelease ? 1 : 0,
    is_semver2: r.isSemVer2 ? 1 : 0,
    listed: r.listed ? 1 : 0,
    created: r.created,
    published: r.published,
    package_hash: r.packageHash,
    package_size: r.packageSize,
    authors: r.authors,
    description: r.description,
    title: r.title,
    summary: r.summary,
    tags: r.tags,
    project_url: r.projectUrl,
    icon_url: r.iconUrl,
    license_url: r.licenseUrl,
    license_expression: r.licenseExpression,
    release_notes: r.releaseNotes,
    copyright: r.copyright,
    language: r.language,
    min_client_version: r.minClientVersion,
    require_license_acceptance: r.requireLicenseAcceptance ? 1 : 0,
    development_dependency: r.developmentDependency ? 1 : 0,
    has_readme: r.hasReadme ? 1 : 0,
    icon_content_type: r.iconContentType,
    package_types: JSON.stringify(r.packageTypes),
    dependency_groups: JSON.stringify(r.dependencyGroups),
    downloads: r.downloads,
  };
}

function registrationOf(row: { lower_id: string; id: string; generation: number }): PackageRegistration {
  return { lowerId: row.lower_id, id: row.id, generation: row.generation };
}

/** package_versions.sort_key. Push stores only versions that parse; anything else is a bug to surface, not to store. */
function sortKeyOf(record: PackageVersionRecord): string {
  const version = parseVersion(record.version);
  if (version === null) throw new Error(`Unparseable stored version ${record.version} of ${record.id}.`);
  return versionSortKey(version);
}

const bumpGeneration = 'UPDATE package_registrations SET generation = generation + 1 WHERE lower_id = ?';

/**
 * Statements that add one version. The version insert fails on an existing
 * (lower_id, lower_version), which rolls the whole batch back: that is the duplicate check (409).
 * `owner` (the pushing key's name) is recorded only by the push that creates the id: first pusher wins.
 */
export function insertVersionStatements(
  db: D1Database,
  record: PackageVersionRecord,
  owner: string | null = null,
): D1PreparedStatement[] {
  const row = { ...rowOf(record), sort_key: sortKeyOf(record) };
  const columns = Object.keys(row);
  const values = Object.values(row);
  return [
    db
      .prepare('INSERT OR IGNORE INTO package_registrations (lower_id, id, generation, owner) VALUES (?, ?, 0, ?)')
      .bind(record.lowerId, record.id, owner),
    db.prepare(bumpGeneration).bind(record.lowerId),
    db
      .prepare(`INSERT INTO package_versions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .bind(...values),
    db
      .prepare(
        `INSERT INTO package_search (rowid, id, title, description, summary, tags, authors)
         SELECT rowid, id, title, description, summary, tags, authors FROM package_versions
         WHERE lower_id = ? AND lower_version = ?`,
      )
      .bind(record.lowerId, record.lowerVersion),
    refreshSearchPackageStatement(db, record.lowerId),
  ];
}

/** Statements that flip `listed`; relisting also moves `published` to `now` (protocol §4.6). */
export function setListedStatements(
  db: D1Database,
  lowerId: string,
  lowerVersion: string,
  listed: boolean,
  now: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE package_versions SET listed = ?1,
           published = CASE WHEN ?1 = 1 AND listed = 0 THEN ?2 ELSE published END
         WHERE lower_id = ?3 AND lower_version = ?4`,
      )
      .bind(listed ? 1 : 0, now, lowerId, lowerVersion),
    db.prepare(bumpGeneration).bind(lowerId),
    refreshSearchPackageStatement(db, lowerId),
  ];
}

export async function findRegistration(db: D1Database, lowerId: string): Promise<PackageRegistration | null> {
  const row = await db
    .prepare('SELECT lower_id, id, generation FROM package_registrations WHERE lower_id = ?')
    .bind(lowerId)
    .first<{ lower_id: string; id: string; generation: number }>();
  return row ? registrationOf(row) : null;
}

/** Whether the id is on the feed and which key owns it (src/nuget/keyScopes.ts); null when it is not. */
export async function findOwnership(db: D1Database, lowerId: string): Promise<{ owner: string | null } | null> {
  return db
    .prepare('SELECT owner FROM package_registrations WHERE lower_id = ?')
    .bind(lowerId)
    .first<{ owner: string | null }>();
}

export async function findVersion(
  db: D1Database,
  lowerId: string,
  lowerVersion: string,
): Promise<PackageVersionRecord | null> {
  const row = await db
    .prepare('SELECT * FROM package_versions WHERE lower_id = ? AND lower_version = ?')
    .bind(lowerId, lowerVersion)
    .first<VersionRow>();
  return row ? recordOf(row) : null;
}

/** A registration and all its versions, read in one batch so they agree with each other. */
export async function registrationWithVersions(
  db: D1Database,
  lowerId: string,
): Promise<{ registration: PackageRegistration; versions: PackageVersionRecord[] } | null> {
  const [reg, versions] = await db.batch([
    db.prepare('SELECT lower_id, id, generation FROM package_registrations WHERE lower_id = ?').bind(lowerId),
    db.prepare('SELECT * FROM package_versions WHERE lower_id = ?').bind(lowerId),
  ]);
  const regRow = reg?.results[0] as { lower_id: string; id: string; generation: number } | undefined;
  if (!regRow) return null;
  return {
    registration: registrationOf(regRow),
    versions: ((versions?.results ?? []) as unknown as VersionRow[]).map(recordOf),
  };
}

/** Lower ids in key order, a page at a time (for full rebuilds and repair). */
export async function lowerIdsAfter(db: D1Database, after: string, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT lower_id FROM package_registrations WHERE lower_id > ? ORDER BY lower_id LIMIT ?')
    .bind(after, limit)
    .all<{ lower_id: string }>();
  return results.map((r) => r.lower_id);
}

/** Which of these versions have a row: the owners of blobs in R2 (repair removes the rest). */
export async function existingVersions(
  db: D1Database,
  versions: readonly { lowerId: string; lowerVersion: string }[],
): Promise<{ lowerId: string; lowerVersion: string }[]> {
  if (versions.length === 0) return [];
  const statements: D1PreparedStatement[] = [];
  // D1 binds at most 100 parameters per statement.
  for (let start = 0; start < versions.length; start += 50) {
    const chunk = versions.slice(start, start + 50);
    statements.push(
      db
        .prepare(
          `SELECT lower_id, lower_version FROM package_versions
           WHERE (lower_id, lower_version) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})`,
        )
        .bind(...chunk.flatMap((v) => [v.lowerId, v.lowerVersion])),
    );
  }
  const results = await db.batch<{ lower_id: string; lower_version: string }>(statements);
  return results.flatMap((r) => r.results.map((row) => ({ lowerId: row.lower_id, lowerVersion: row.lower_version })));
}
