/**
 * The one author of SQL over upstream_packages and upstream_errors (migration 0010): which ids
 * are served from the upstream feed, what of them is cached, and the upstream's recent failures.
 */
import type { LocalFacts } from '../nuget/upstream';

/** What `npx edgeget upstream status` lists per id. */
export interface UpstreamPackage {
  lowerId: string;
  firstCached: string;
  lastRefresh: string;
  bytes: number;
  files: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface UpstreamError {
  at: string;
  lowerId: string;
  message: string;
}

const KEPT_ERRORS = 100;

const hasRegistration = 'EXISTS (SELECT 1 FROM package_registrations WHERE lower_id = ?1)';
const hasDeletion = 'EXISTS (SELECT 1 FROM deleted_versions WHERE lower_id = ?1)';

/** The id's local history: a registration (every pushed id has one, and keeps it) or a hard-deleted version. */
export async function localFacts(db: D1Database, lowerId: string): Promise<LocalFacts> {
  const row = await db
    .prepare(`SELECT ${hasRegistration} AS pushed, ${hasDeletion} AS deleted`)
    .bind(lowerId)
    .first<{ pushed: number; deleted: number }>();
  return { pushed: row?.pushed === 1, deleted: row?.deleted === 1 };
}

/**
 * Claims the id for the upstream, unless it has local history: one INSERT … WHERE NOT EXISTS, so
 * a concurrent push either committed before it (no claim) or meets the claim in its own batch
 * (trigger refuse_upstream_versions). Answers whether the id is the upstream's now.
 */
export async function claimUpstreamPackage(db: D1Database, lowerId: string, now: Date): Promise<boolean> {
  const [, claimed] = await db.batch<{ claimed: number }>([
    db
      .prepare(
        `INSERT INTO upstream_packages (lower_id, first_cached, last_refresh)
         SELECT ?1, ?2, ?2 WHERE NOT ${hasRegistration} AND NOT ${hasDeletion}
         ON CONFLICT (lower_id) DO NOTHING`,
      )
      .bind(lowerId, now.toISOString()),
    db.prepare('SELECT EXISTS (SELECT 1 FROM upstream_packages WHERE lower_id = ?1) AS claimed').bind(lowerId),
  ]);
  return claimed?.results[0]?.claimed === 1;
}

export async function findUpstreamPackage(db: D1Database, lowerId: string): Promise<UpstreamPackage | null> {
  const row = await db.prepare('SELECT * FROM upstream_packages WHERE lower_id = ?1').bind(lowerId).first<Row>();
  return row ? packageOf(row) : null;
}

export async function recordRefresh(db: D1Database, lowerId: string, now: Date): Promise<void> {
  await db
    .prepare('UPDATE upstream_packages SET last_refresh = ?2 WHERE lower_id = ?1')
    .bind(lowerId, now.toISOString())
    .run();
}

export async function recordCachedFile(db: D1Database, lowerId: string, bytes: number): Promise<void> {
  await db
    .prepare('UPDATE upstream_packages SET bytes = bytes + ?2, files = files + 1 WHERE lower_id = ?1')
    .bind(lowerId, bytes)
    .run();
}

/** One failure: on the id's row if it has one, and among the recent errors, of which the newest 100 stay. */
export async function recordUpstreamError(db: D1Database, error: UpstreamError): Promise<void> {
  await db.batch([
    db
      .prepare('UPDATE upstream_packages SET last_error = ?2, last_error_at = ?3 WHERE lower_id = ?1')
      .bind(error.lowerId, error.message, error.at),
    db
      .prepare('INSERT INTO upstream_errors (at, lower_id, message) VALUES (?1, ?2, ?3)')
      .bind(error.at, error.lowerId, error.message),
    db
      .prepare('DELETE FROM upstream_errors WHERE seq <= (SELECT MAX(seq) FROM upstream_errors) - ?1')
      .bind(KEPT_ERRORS),
  ]);
}

/** Every cached id, in id order, at most `limit`, and the `errors` newest failures. */
export async function upstreamStatus(
  db: D1Database,
  limit: number,
  errors: number,
): Promise<{ packages: UpstreamPackage[]; errors: UpstreamError[] }> {
  const [packages, recent] = await db.batch([
    db.prepare('SELECT * FROM upstream_packages ORDER BY lower_id LIMIT ?1').bind(limit),
    db.prepare('SELECT at, lower_id, message FROM upstream_errors ORDER BY seq DESC LIMIT ?1').bind(errors),
  ]);
  return {
    packages: ((packages?.results ?? []) as Row[]).map(packageOf),
    errors: ((recent?.results ?? []) as { at: string; lower_id: string; message: string }[]).map((row) => ({
      at: row.at,
      lowerId: row.lower_id,
      message: row.message,
    })),
  };
}

/** Forgets the id: after this a push of it is accepted (trigger refuse_upstream_versions). */
export async function forgetUpstreamPackage(db: D1Database, lowerId: string): Promise<void> {
  await db.prepare('DELETE FROM upstream_packages WHERE lower_id = ?1').bind(lowerId).run();
}

interface Row {
  lower_id: string;
  first_cached: string;
  last_refresh: string;
  bytes: number;
  files: number;
  last_error: string | null;
  last_error_at: string | null;
}

function packageOf(row: Row): UpstreamPackage {
  return {
    lowerId: row.lower_id,
    firstCached: row.first_cached,
    lastRefresh: row.last_refresh,
    bytes: row.bytes,
    files: row.files,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
  };
}
