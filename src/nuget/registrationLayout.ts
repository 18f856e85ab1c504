/**
 * How an id's registration is cut into pages (protocol §4.7), pure. The cut itself is D1 state
 * (src/store/registrationPages.ts): every version carries its page's number. This file turns that
 * into each hive level's pages, decides whether the index inlines them, and derives their commits.
 */
import type { HiveLevel } from '../links';

/** The most versions a page holds: Catalog2Registration's MaxLeavesPerPage (§4.7). */
export const MAX_PAGE_VERSIONS = 64;
/** Up to this many versions the index inlines every page; above it the index holds stubs (§4.7). */
export const MAX_INLINED_VERSIONS = 127;

/** One version as the indexes need it: where it sits, not what its catalog entry says. */
export interface RegistrationVersion {
  lowerVersion: string;
  /** Full version (normalized, +metadata, label casing kept): page bounds come from it (§4.3). */
  version: string;
  page: number;
  isSemVer2: boolean;
  /** ISO 8601: the newest of its created, published and last-edited times. */
  touched: string;
}

/** A page's last change, as the id's generation, per hive level. */
export interface PageGenerations {
  page: number;
  semver1: number;
  semver2: number;
}

export interface RegistrationCommit {
  commitId: string;
  commitTimeStamp: string;
}

/** One page as a hive level shows it: its versions in NuGet order and the generation of its last change. */
export interface HivePage {
  page: number;
  versions: RegistrationVersion[];
  generation: number;
}

/** Whether the level shows the version: SemVer 1 hives leave SemVer 2 versions out (§4.8). */
export function shownAt(level: HiveLevel, version: RegistrationVersion): boolean {
  return level === 'semver2' || !version.isSemVer2;
}

/**
 * The level's pages in order, each with at least one version. `versions` are in NuGet order and a
 * page is a run of consecutive versions, so pages come out ordered too. A page without a
 * registration_pages row (a bulk load) counts as changed at `fallback`, the id's generation.
 */
export function hivePages(
  level: HiveLevel,
  versions: readonly RegistrationVersion[],
  generations: readonly PageGenerations[],
  fallback: number,
): HivePage[] {
  const generationOf = new Map(generations.map((row) => [row.page, row[level]]));
  const pages: HivePage[] = [];
  const byNumber = new Map<number, HivePage>();
  for (const version of versions) {
    if (!shownAt(level, version)) continue;
    let page = byNumber.get(version.page);
    if (!page) {
      page = { page: version.page, versions: [], generation: generationOf.get(version.page) ?? fallback };
      byNumber.set(version.page, page);
      pages.push(page);
    }
    page.versions.push(version);
  }
  return pages;
}

/** The index holds stubs, and page documents exist, once the level shows more than 127 versions. */
export function isPaged(pages: readonly HivePage[]): boolean {
  return pages.reduce((count, page) => count + page.versions.length, 0) > MAX_INLINED_VERSIONS;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * There is no registration commit log, so a commit is derived from what every change moves: the
 * id's generation at the document's last change (a GUID-shaped id, version nibble 8 = "custom") and
 * the newest time among the versions it shows. Equal inputs give equal commits, which is what
 * lets an incremental update and a rebuild from D1 produce the same bytes. Clients ignore both (§4.11).
 */
export function registrationCommit(
  lowerId: string,
  generation: number,
  versions: readonly RegistrationVersion[],
): RegistrationCommit {
  const hash = fnv1a(lowerId).toString(16).padStart(8, '0');
  const counter = Math.max(0, generation).toString(16).padStart(12, '0');
  let newest = 0;
  for (const version of versions) newest = Math.max(newest, Date.parse(version.touched) || 0);
  return { commitId: `${hash}-0000-8000-8000-${counter}`, commitTimeStamp: new Date(newest).toISOString() };
}
