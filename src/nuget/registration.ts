/**
 * Registration documents (protocol §4): the index, its pages and leaves, for one id in one hive.
 * Pure: the caller passes the registration row, every version record and the links to build with.
 */
import { hiveLevel, type FeedLinks, type Hive } from '../links';
import { catalogEntry, type CatalogEntry } from './catalogEntry';
import type { PackageRegistration, PackageVersionRecord } from './types';
import { compareVersions, normalizedVersion, parseVersion, type NuGetVersion } from './version';

/** Catalog2Registration's MaxLeavesPerPage and MaxInlinedLeafItems (§4.7). */
export const LEAVES_PER_PAGE = 64;
export const MAX_INLINED_LEAVES = 127;

export interface RegistrationCommit {
  commitId: string;
  commitTimeStamp: string;
}

export interface RegistrationLeafItem extends RegistrationCommit {
  '@id': string;
  '@type': 'Package';
  catalogEntry: CatalogEntry;
  packageContent: string;
  registration: string;
}

/** A page object: inlined (items + parent), a stub (neither) or a page document (both), §4.3-4.4. */
export interface RegistrationPage extends RegistrationCommit {
  '@id': string;
  '@type': 'catalog:CatalogPage';
  count: number;
  items?: RegistrationLeafItem[];
  parent?: string;
  lower: string;
  upper: string;
}

export interface RegistrationIndex extends RegistrationCommit {
  '@id': string;
  '@type': string[];
  count: number;
  items: RegistrationPage[];
}

/** The standalone leaf document (§4.9): `catalogEntry` is a URL here, not an object. */
export interface RegistrationLeaf {
  '@id': string;
  '@type': string[];
  catalogEntry: string;
  listed: boolean;
  packageContent: string;
  published: string;
  registration: string;
}

/** One hive's view of an id: the index, plus the page documents its stubs point at (§4.7). */
export interface RegistrationDocuments {
  index: RegistrationIndex;
  pages: RegistrationPage[];
}

/** A version record with its parsed version, for ordering and page bounds. */
export interface HiveLeaf {
  record: PackageVersionRecord;
  version: NuGetVersion;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * There is no registration commit log, so the commit is derived, deterministically, from what
 * changes on every commit: the id's generation (a GUID-shaped id, version nibble 8 = "custom")
 * and the newest created/published time among its versions. Clients ignore both (§4.11).
 */
export function registrationCommit(
  registration: PackageRegistration,
  versions: readonly PackageVersionRecord[],
): RegistrationCommit {
  const hash = fnv1a(registration.lowerId).toString(16).padStart(8, '0');
  const generation = registration.generation.toString(16).padStart(12, '0');
  let newest = 0;
  for (const record of versions) newest = Math.max(newest, Date.parse(record.created), Date.parse(record.published));
  return { commitId: `${hash}-0000-8000-8000-${generation}`, commitTimeStamp: new Date(newest).toISOString() };
}

export function registrationLeafItem(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  record: PackageVersionRecord,
  commit: RegistrationCommit,
  catalogSeq?: number,
): RegistrationLeafItem {
  const entry = catalogEntry(links, hive, registration, record, catalogSeq);
  return {
    '@id': links.registrationLeaf(hive, record.lowerId, record.lowerVersion),
    '@type': 'Package',
    ...commit,
    catalogEntry: entry,
    packageContent: entry.packageContent,
    registration: links.registrationIndex(hive, registration.lowerId),
  };
}

/** The leaf document, derived from its leaf item so the two can never disagree. */
export function registrationLeaf(item: RegistrationLeafItem): RegistrationLeaf {
  return {
    '@id': item['@id'],
    '@type': ['Package', 'http://schema.nuget.org/catalog#Permalink'],
    catalogEntry: item.catalogEntry['@id'],
    listed: item.catalogEntry.listed,
    packageContent: item.packageContent,
    published: item.catalogEntry.published,
    registration: item.registration,
  };
}

/**
 * One page of leaves, ascending. `lower`/`upper` are the first and last versions, normalized
 * without metadata (§4.3): the client skips pages by these bounds, so they must be exact (pitfall 5).
 * An inlined page's `@id` is the index URL plus a fragment; a page document's is its own URL.
 */
export function registrationPage(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  leaves: readonly HiveLeaf[],
  commit: RegistrationCommit,
  shape: 'inlined' | 'stub' | 'document',
  catalogLeaves: ReadonlyMap<string, number> = new Map(),
): RegistrationPage {
  const first = leaves[0];
  const last = leaves[leaves.length - 1];
  if (!first || !last) throw new Error('A registration page needs at least one leaf.');
  const lower = normalizedVersion(first.version);
  const upper = normalizedVersion(last.version);
  const indexUrl = links.registrationIndex(hive, registration.lowerId);
  const page: RegistrationPage = {
    '@id':
      shape === 'inlined'
        ? `${indexUrl}#page/${lower}/${upper}`
        : links.registrationPage(hive, registration.lowerId, lower, upper),
    '@type': 'catalog:CatalogPage',
    ...commit,
    count: leaves.length,
    lower,
    upper,
  };
  if (shape === 'stub') return page;
  page.items = leaves.map((leaf) =>
    registrationLeafItem(links, hive, registration, leaf.record, commit, catalogLeaves.get(leaf.record.lowerVersion)),
  );
  page.parent = indexUrl;
  return page;
}

/** The versions a hive shows, in NuGet order (§4.7); SemVer 1 hives drop SemVer 2 versions (§4.8). */
function hiveLeaves(hive: Hive, versions: readonly PackageVersionRecord[]): HiveLeaf[] {
  const shown = hiveLevel(hive) === 'semver2' ? versions : versions.filter((record) => !record.isSemVer2);
  return shown
    .map((record) => {
      const version = parseVersion(record.version);
      if (!version) throw new Error(`Stored version ${record.lowerId} ${record.version} does not parse.`);
      return { record, version };
    })
    .sort((a, b) => compareVersions(a.version, b.version));
}

/**
 * The index and page documents of one id in one hive; null when the hive shows no version, which
 * the route answers with 404 (§4: a missing id is "package does not exist"). Pages hold 64
 * leaves; up to 127 versions are all inlined, from 128 on the index holds stubs (§4.7).
 */
export function registrationDocuments(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  versions: readonly PackageVersionRecord[],
  /** Each version's catalog leaf seq (lower version → seq): its catalogEntry `@id` (§4.6). */
  catalogLeaves: ReadonlyMap<string, number> = new Map(),
): RegistrationDocuments | null {
  const leaves = hiveLeaves(hive, versions);
  if (leaves.length === 0) return null;
  const commit = registrationCommit(registration, versions);
  const chunks: HiveLeaf[][] = [];
  for (let start = 0; start < leaves.length; start += LEAVES_PER_PAGE) {
    chunks.push(leaves.slice(start, start + LEAVES_PER_PAGE));
  }
  const inlined = leaves.length <= MAX_INLINED_LEAVES;
  const page = (chunk: HiveLeaf[], shape: 'inlined' | 'stub' | 'document') =>
    registrationPage(links, hive, registration, chunk, commit, shape, catalogLeaves);
  const index: RegistrationIndex = {
    '@id': links.registrationIndex(hive, registration.lowerId),
    '@type': ['catalog:CatalogRoot', 'PackageRegistration', 'catalog:Permalink'],
    ...commit,
    count: chunks.length,
    items: chunks.map((chunk) => page(chunk, inlined ? 'inlined' : 'stub')),
  };
  return { index, pages: inlined ? [] : chunks.map((chunk) => page(chunk, 'document')) };
}

/** Where a version's leaf item is: in an inlined page or document, or behind a stub. */
export type LeafLocation = { item: RegistrationLeafItem } | { stub: RegistrationPage } | null;

/**
 * Finds a version among an index's pages (or a page document's, passed as a one-page list).
 * Leaf documents are not stored: they are derived from the leaf item on request (§4.9).
 */
export function locateLeaf(pages: readonly RegistrationPage[], version: NuGetVersion): LeafLocation {
  for (const page of pages) {
    const lower = parseVersion(page.lower);
    const upper = parseVersion(page.upper);
    if (!lower || !upper || compareVersions(version, lower) < 0 || compareVersions(version, upper) > 0) continue;
    if (!page.items) return { stub: page };
    const item = page.items.find((leaf) => {
      const leafVersion = parseVersion(leaf.catalogEntry.version);
      return leafVersion !== null && compareVersions(leafVersion, version) === 0;
    });
    return item ? { item } : null;
  }
  return null;
}
