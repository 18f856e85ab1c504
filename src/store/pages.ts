/**
 * The one author of KV keys. KV holds only derived documents, every one rebuildable from D1
 * (src/pages/rebuild.ts). KV is eventually consistent: a page written here may be read stale
 * for ~60 s at other locations (docs/platform.md §3); readers that need the truth
 * (push, unlist) go to D1, never to KV.
 */
import type { HiveLevel } from '../links';

export const pageKeys = {
  /** Flat container version list `{lowerId}/index.json` (protocol §3.2). */
  versionsIndex: (lowerId: string) => `flat/${lowerId}`,
  registrationIndex: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/index`,
  registrationPage: (level: HiveLevel, lowerId: string, lower: string, upper: string) =>
    `registration/${level}/${lowerId}/page/${lower.toLowerCase()}/${upper.toLowerCase()}`,
  /** Every key derived from one id (for listing and removing stale pages). */
  idPrefix: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/`,
} as const;

/** Metadata stored beside every page: which D1 generation of the id it was built from. */
export interface PageMetadata {
  generation: number;
  /**
   * Content hash of the stored text (src/cachePolicy.ts contentTag), so a page is served with
   * its ETag from one getWithMetadata. Absent on pages written before it existed.
   */
  etag?: string;
}

/** What a key names: the inverse of pageKeys, for turning changed keys into URLs to purge. */
export type PageRef =
  | { kind: 'versionsIndex'; lowerId: string }
  | { kind: 'registrationIndex'; level: HiveLevel; lowerId: string }
  | { kind: 'registrationPage'; level: HiveLevel; lowerId: string; lower: string; upper: string };

export function pageRefOf(key: string): PageRef | null {
  const [area, level, lowerId, kind, lower, upper, ...rest] = key.split('/');
  if (area === 'flat' && level && lowerId === undefined) return { kind: 'versionsIndex', lowerId: level };
  if (area !== 'registration' || (level !== 'semver1' && level !== 'semver2') || !lowerId || rest.length > 0)
    return null;
  if (kind === 'index' && lower === undefined) return { kind: 'registrationIndex', level, lowerId };
  if (kind === 'page' && lower && upper) return { kind: 'registrationPage', level, lowerId, lower, upper };
  return null;
}
