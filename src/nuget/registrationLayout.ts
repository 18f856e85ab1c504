/**
 * How an id's registration is cut into pages (protocol §4.7), pure. The cut itself is D1 state
 * (src/store/registrationPages.ts): every version carries its page's number, and every page a
 * summary per hive level, kept by the batch that changes it. This file turns those into each
 * level's pages, decides whether the index inlines them, and derives their commits.
 */
import type { HiveLevel } from '../links';

/** The most versions a page holds: Catalog2Registration's MaxLeavesPerPage (§4.7). */
export const MAX_PAGE_VERSIONS = 64;
/** Up to this many versions the index inlines every page; above it the index holds stubs (§4.7). */
export const MAX_INLINED_VERSIONS = 127;

/** A level of one page, as registration_pages sums it up: all an index shows of the page. */
export interface PageSummary {
  count: number;
  /** Full versions (normalized, +metadata, label casing kept) of its lowest and highest: the bounds (§4.3). */
  lower: string;
  upper: string;
  /** ISO 8601: the newest created, published or last-edited time among its versions. */
  touched: string;
  /** The id's generation at the page's last change at this level. */
  generation: number;
}

/** One registration_pages row: a page at both levels; null where the level shows none of its versions. */
export interface PageRow {
  page: number;
  semver1: PageSummary | null;
  semver2: PageSummary | null;
}

/** One page as a hive level shows it. */
export interface HivePage extends PageSummary {
  page: number;
}

export interface RegistrationCommit {
  commitId: string;
  commitTimeStamp: string;
}

/** Whether the level shows the version: SemVer 1 hives leave SemVer 2 versions out (§4.8). */
export function shownAt(level: HiveLevel, version: { isSemVer2: boolean }): boolean {
  return level === 'semver2' || !version.isSemVer2;
}

/** The level's pages, in the order of `rows` (NuGet order of their versions), each showing at least one version. */
export function hivePages(level: HiveLevel, rows: readonly PageRow[]): HivePage[] {
  return rows.flatMap((row) => {
    const summary = row[level];
    return summary && summary.count > 0 ? [{ page: row.page, ...summary }] : [];
  });
}

/** The index holds stubs, and page documents exist, once the level shows more than 127 versions. */
export function isPaged(pages: readonly HivePage[]): boolean {
  return pages.reduce((count, page) => count + page.count, 0) > MAX_INLINED_VERSIONS;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * There is no registration commit log, so a commit is derived from what every change moves: the
 * id's generation at the document's last change (a GUID-shaped id, version nibble 8 = "custom") and
 * the newest of the `touched` times of what it shows (a page's versions; an index's pages). Equal
 * inputs give equal commits, which is what lets an incremental update and a rebuild from D1
 * produce the same bytes. Clients ignore both (§4.11).
 */
export function registrationCommit(
  lowerId: string,
  generation: number,
  touched: readonly string[],
): RegistrationCommit {
  const hash = fnv1a(lowerId).toString(16).padStart(8, '0');
  const counter = Math.max(0, generation).toString(16).padStart(12, '0');
  let newest = 0;
  for (const time of touched) newest = Math.max(newest, Date.parse(time) || 0);
  return { commitId: `${hash}-0000-8000-8000-${counter}`, commitTimeStamp: new Date(newest).toISOString() };
}
