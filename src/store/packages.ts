/**
 * The one author of SQL over package_registrations, package_versions (download counts included)
 * and package_search; a version row's columns are mapped in versionColumns.ts. Each change is
 * one atomic D1 batch (D1 has no interactive transactions; a failed batch rolls back entirely,
 * docs/platform.md §4): the *Statements writers return its statements, and insertVersion,
 * updateListing and addDownloads commit it with the catalog item or search totals it needs.
 */
import type { PackageRegistration, PackageVersionRecord } from '../nuget/types';
import { parseVersion, versionSortKey } from '../nuget/version';
import { type AuditEntry, auditStatement } from './auditLog';
import { packageDetailsItemStatements } from './catalog';
import type { StoredRow } from './columns';
import { placeVersionStatements, stampPageStatement, summarizeStampedPagesStatement } from './registrationPages';
import { refreshDownloadTotalsStatements, refreshSearchPackageStatement } from './searchIndex';
import { versionRows } from './versionColumns';

function registrationOf(row: { lower_id: string; id: string; generation: number }): PackageRegistration {
  return { lowerId: row.lower_id, id: row.id, generation: row.generation };
}

/** package_versions.sort_key. Push stores only versions that parse; anything else is a bug to surface, not to store. */
function sortKeyOf(record: PackageVersionRecord): string {
  const version = parseVersion(record.version);
  if (version === null) throw new Error(`Unparseable stored version ${record.version} of ${record.id}.`);
  return versionSortKey(version);
}

/** Second in every version change's batch: its RETURNING row is the generation the change committed. */
const bumpGeneration =
  'UPDATE package_registrations SET generation = generation + 1 WHERE lower_id = ? RETURNING generation';

/** The statement that moves an id's generation, for batches that change what its documents show. */
export function bumpGenerationStatement(db: D1Database, lowerId: string): D1PreparedStatement {
  return db.prepare(bumpGeneration).bind(lowerId);
}

/** The generation a change's batch committed, from the result of its bumpGeneration statement (at `index`). */
export function committedGeneration(results: D1Result[], index = 1): number {
  const row = results[index]?.results[0] as { generation?: number } | undefined;
  if (typeof row?.generation !== 'number') throw new Error('The change batch returned no generation.');
  return row.generation;
}

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
  const columns = [...versionRows.names, 'sort_key'];
  const values = [...versionRows.encode(record), sortKeyOf(record)];
  return [
    db
      .prepare('INSERT OR IGNORE INTO package_registrations (lower_id, id, generation, owner) VALUES (?, ?, 0, ?)')
      .bind(record.lowerId, record.id, owner),
    db.prepare(bumpGeneration).bind(record.lowerId),
    db
      .prepare(`INSERT INTO package_versions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .bind(...values),
    ...placeVersionStatements(db, record),
    db
      .prepare(
        // §5.3: a package without a title is titled by its id, so `title:` finds it by its id (§5.2).
        `INSERT INTO package_search (rowid, id, title, description, summary, tags, authors)
         SELECT rowid, id, CASE WHEN title = '' THEN id ELSE title END, description, summary, tags, authors
         FROM package_versions
         WHERE lower_id = ? AND lower_version = ?`,
      )
      .bind(record.lowerId, record.lowerVersion),
    refreshSearchPackageStatement(db, record.lowerId, record.lowerVersion),
  ];
}

/**
 * Statements that flip `listed`; relisting also moves `published` to `now` (protocol §4.6), and
 * a change either way is an edit: `last_edited` becomes `now` (the catalog leaf's lastEdited, §7.3).
 */
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
        `UPDATE package_versions SET listed = ?1, last_edited = CASE WHEN listed <> ?1 THEN ?2 ELSE last_edited END,
           published = CASE WHEN ?1 = 1 AND listed = 0 THEN ?2 ELSE published END
         WHERE lower_id = ?3 AND lower_version = ?4`,
      )
      .bind(listed ? 1 : 0, now, lowerId, lowerVersion),
    db.prepare(bumpGeneration).bind(lowerId),
    // A listing change moves no version between pages: only its page is stamped.
    stampPageStatement(db, lowerId, lowerVersion),
    summarizeStampedPagesStatement(db, lowerId),
    refreshSearchPackageStatement(db, lowerId),
  ];
}

/**
 * Commits a pushed version: its row and its catalog item (protocol §7) in one atomic batch, the
 * one write that makes the version exist. A duplicate rolls the whole batch back. Answers the
 * id's generation the batch committed.
 */
export async function insertVersion(
  db: D1Database,
  record: PackageVersionRecord,
  owner: string | null,
  now: Date,
): Promise<number> {
  return committedGeneration(
    await db.batch([...insertVersionStatements(db, record, owner), ...packageDetailsItemStatements(db, record, now)]),
  );
}

/**
 * Commits an unlist or relist of `record` (already showing the change) with its catalog item (and
 * an operator's audit entry), in one batch. Answers the id's generation the batch committed.
 */
export async function updateListing(
  db: D1Database,
  record: PackageVersionRecord,
  now: Date,
  audit?: AuditEntry,
): Promise<number> {
  return committedGeneration(
    await db.batch([
      ...setListedStatements(db, record.lowerId, record.lowerVersion, record.listed, now.toISOString()),
      ...packageDetailsItemStatements(db, record, now),
      ...(audit ? [auditStatement(db, audit)] : []),
    ]),
  );
}

export interface VersionDownloads {
  lowerId: string;
  lowerVersion: string;
  downloads: number;
}

/** D1 binds at most 100 parameters per statement: 33 versions of 3. */
const DOWNLOADS_PER_STATEMENT = 33;

/**
 * Adds flushed download counts (src/downloadCounter.ts) in one atomic batch: one UPDATE … FROM
 * (VALUES …) per 33 versions, then the ids' search totals. A version without a row (a blob left by
 * a push that never committed) matches nothing and is dropped.
 */
export async function addDownloads(db: D1Database, counts: readonly VersionDownloads[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < counts.length; start += DOWNLOADS_PER_STATEMENT) {
    const chunk = counts.slice(start, start + DOWNLOADS_PER_STATEMENT);
    statements.push(
      db
        .prepare(
          `UPDATE package_versions SET downloads = downloads + c.column3
           FROM (VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}) AS c
           WHERE package_versions.lower_id = c.column1 AND package_versions.lower_version = c.column2`,
        )
        .bind(...chunk.flatMap((count) => [count.lowerId, count.lowerVersion, count.downloads])),
    );
  }
  // Search ranks by each id's total (search_packages), kept in the same atomic batch.
  const totals = refreshDownloadTotalsStatements(
    db,
    counts.map((count) => count.lowerId),
  );
  await db.batch([...statements, ...totals]);
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
    .first<StoredRow>();
  return row ? versionRows.decode(row) : null;
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

/** The registrations of those of these ids that are on the feed (one JSON parameter: D1 binds at most 100). */
export async function registrationsOf(db: D1Database, lowerIds: readonly string[]): Promise<PackageRegistration[]> {
  if (lowerIds.length === 0) return [];
  const { results } = await db
    .prepare(
      'SELECT lower_id, id, generation FROM package_registrations WHERE lower_id IN (SELECT value FROM json_each(?))',
    )
    .bind(JSON.stringify(lowerIds))
    .all<{ lower_id: string; id: string; generation: number }>();
  return results.map(registrationOf);
}

/** An id's versions in NuGet order, at most `limit` (a hard delete of every version reads them first). */
export async function versionsOfId(db: D1Database, lowerId: string, limit: number): Promise<PackageVersionRecord[]> {
  const { results } = await db
    .prepare('SELECT * FROM package_versions WHERE lower_id = ? ORDER BY sort_key LIMIT ?')
    .bind(lowerId, limit)
    .all<StoredRow>();
  return results.map(versionRows.decode);
}
