/**
 * What a gallery package page warns of beyond the version it shows (src/gallery/notices.ts):
 * which of the versions its table lists are deprecated, and the id's advisories. One batch, so
 * the page waits on one more D1 round trip at most, run beside its other reads. Reads only.
 */
import type { VersionMarks } from '../gallery/packageParts';
import { advisoriesOfRows, idAdvisoriesStatement } from './advisories';

/**
 * The marks of an id's `limit` newest versions (NuGet order, as versionSummaries lists them in
 * searchGallery.ts), so a mark is never looked up for a row the table does not show.
 */
export async function versionMarks(db: D1Database, lowerId: string, limit: number): Promise<VersionMarks> {
  const [deprecated, advisories] = await db.batch([
    db
      .prepare(
        `SELECT lower_version FROM (
           SELECT lower_version, deprecation FROM package_versions WHERE lower_id = ?1 ORDER BY sort_key DESC LIMIT ?2
         ) WHERE deprecation IS NOT NULL`,
      )
      .bind(lowerId, limit),
    idAdvisoriesStatement(db, lowerId),
  ]);
  return {
    deprecated: new Set((deprecated?.results ?? []).map((row) => (row as { lower_version: string }).lower_version)),
    advisories: advisoriesOfRows(advisories?.results ?? []),
  };
}
