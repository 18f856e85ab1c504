/**
 * Page stamps of changes that move no version between pages (src/store/registrationPages.ts
 * places versions): what registration says about some versions changed (deprecation, advisories),
 * or versions leave (hard delete). Each stamps, at the id's already bumped generation, the pages
 * holding the versions concerned, so a push-style rebuild rewrites those pages only.
 */
import type { SortKeyBounds } from '../nuget/versionSelection';
import { GENERATION } from './registrationPages';

/** `sort_key` within `bounds`, with the bounds as ?2 and ?3 (unbounded sides test nothing). */
export function withinBounds(bounds: SortKeyBounds): string {
  const min = bounds.min === null ? '?2 IS NULL' : `sort_key ${bounds.minInclusive ? '>=' : '>'} ?2`;
  const max = bounds.max === null ? '?3 IS NULL' : `sort_key ${bounds.maxInclusive ? '<=' : '<'} ?3`;
  return `${min} AND ${max}`;
}

/**
 * Stamps, at the SemVer 2 level only, the pages holding a version of ?1 within `bounds`: a change
 * to what registration says about versions (deprecation, advisories) that the legacy hives do not
 * carry (§4.8). Nothing moves between pages, so the summaries stand (the caller re-sums them
 * when it changed a version's times).
 */
export function stampVersionsStatement(db: D1Database, lowerId: string, bounds: SortKeyBounds): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE registration_pages SET semver2_generation = ${GENERATION}
       WHERE lower_id = ?1 AND page IN (SELECT registration_page FROM package_versions
                                        WHERE lower_id = ?1 AND ${withinBounds(bounds)})`,
    )
    .bind(lowerId, bounds.min, bounds.max);
}

/**
 * The same for these versions of ?1 (one JSON array of lower versions: D1 binds at most 100
 * parameters), at the SemVer 2 level or at both. A hard delete stamps both before it removes the
 * versions (a page that loses one changes); after the removal, emptiedPagesStatement drops the
 * rows of pages left with no version, and summarizeStampedPagesStatement sums up the others.
 */
export function stampPagesOfVersionsStatement(
  db: D1Database,
  lowerId: string,
  lowerVersions: readonly string[],
  levels: 'semver2' | 'both',
): D1PreparedStatement {
  const semver1 = levels === 'both' ? `semver1_generation = ${GENERATION}, ` : '';
  return db
    .prepare(
      `UPDATE registration_pages SET ${semver1}semver2_generation = ${GENERATION}
       WHERE lower_id = ?1 AND page IN (SELECT registration_page FROM package_versions
                                        WHERE lower_id = ?1 AND lower_version IN (SELECT value FROM json_each(?2)))`,
    )
    .bind(lowerId, JSON.stringify(lowerVersions));
}

/** Pages of ?1 that no version is on any more (a hard delete emptied them) lose their rows. */
export function emptiedPagesStatement(db: D1Database, lowerId: string): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM registration_pages WHERE lower_id = ?1
         AND page NOT IN (SELECT registration_page FROM package_versions WHERE lower_id = ?1)`,
    )
    .bind(lowerId);
}
