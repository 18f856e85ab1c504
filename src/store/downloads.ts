/** The SQL that adds flushed download counts (src/downloadCounter.ts) to package_versions.downloads. */
import { refreshDownloadTotalsStatements } from './searchIndex';

export interface VersionDownloads {
  lowerId: string;
  lowerVersion: string;
  downloads: number;
}

/** D1 binds at most 100 parameters per statement: 33 versions of 3. */
const PER_STATEMENT = 33;

/**
 * One UPDATE … FROM (VALUES …) per 33 versions, then the ids' search totals, for one atomic batch.
 * A version without a row (a blob left by a push that never committed) matches nothing and is dropped.
 */
export function addDownloadsStatements(db: D1Database, counts: readonly VersionDownloads[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < counts.length; start += PER_STATEMENT) {
    const chunk = counts.slice(start, start + PER_STATEMENT);
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
  return [
    ...statements,
    ...refreshDownloadTotalsStatements(
      db,
      counts.map((count) => count.lowerId),
    ),
  ];
}
