/**
 * The one author of KV keys. KV holds only derived documents, every one rebuildable from D1
 * (src/pages/rebuild.ts). KV is eventually consistent: a page written here may be read stale
 * for ~60 s at other locations (cloudflare-platform.md §3); readers that need the truth
 * (push, unlist) go to D1, never to KV.
 */
import type { HiveLevel } from '../links';

export const pageKeys = {
  /** Flat container version list `{lowerId}/index.json` (protocol §3.2). */
  versionsIndex: (lowerId: string) => `flat/${lowerId}`,
  registrationIndex: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/index`,
  registrationPage: (level: HiveLevel, lowerId: string, lower: string, upper: string) =>
    `registration/${level}/${lowerId}/page/${lower.toLowerCase()}/${upper.toLowerCase()}`,
  registrationLeaf: (level: HiveLevel, lowerId: string, lowerVersion: string) =>
    `registration/${level}/${lowerId}/leaf/${lowerVersion}`,
  /** Every key derived from one id (for listing and removing stale pages). */
  idPrefix: (level: HiveLevel, lowerId: string) => `registration/${level}/${lowerId}/`,
} as const;

/** Metadata stored beside every page: which D1 generation of the id it was built from. */
export interface PageMetadata {
  generation: number;
}
