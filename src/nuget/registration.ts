/**
 * Registration documents (protocol §4): the index, its pages and leaves, for one id in one hive.
 * Pure: the caller passes the registration row, the id's pages (registrationLayout.ts), the full
 * records of the pages it builds, and the links to build with.
 */
import { hiveLevel, type FeedLinks, type Hive } from '../links';
import { catalogEntry, type CatalogEntry } from './catalogEntry';
import {
  type HivePage,
  hivePages,
  isPaged,
  type PageRow,
  type RegistrationCommit,
  registrationCommit,
  shownAt,
} from './registrationLayout';
import type { PackageRegistration, PackageVersionRecord } from './types';
import type { Advisory } from './vulnerabilities';
import { compareVersions, parseVersion, type NuGetVersion } from './version';

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

/** The id's versions and pages: what its indexes are built from (src/store/registrationPages.ts reads it). */
export interface RegistrationLayout {
  registration: PackageRegistration;
  /** Every version's lower version, in NuGet order: the flat list (§3.2). */
  versions: readonly string[];
  /** Every page, in NuGet order of the versions it holds. */
  pages: readonly PageRow[];
}

/** Full records (by lower version) and catalog leaf seqs of the pages a document shows in full. */
export interface PageContent {
  records: ReadonlyMap<string, PackageVersionRecord>;
  catalogLeaves: ReadonlyMap<string, number>;
  /** The lower versions on each page these records cover, in NuGet order, at the SemVer 2 level. */
  pageVersions: ReadonlyMap<number, readonly string[]>;
  /** The id's vulnerability advisories: each entry lists those its version is affected by (§4.6). */
  advisories: readonly Advisory[];
}

export function registrationLeafItem(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  record: PackageVersionRecord,
  commit: RegistrationCommit,
  catalogSeq?: number,
  advisories: readonly Advisory[] = [],
): RegistrationLeafItem {
  const entry = catalogEntry(links, hive, registration, record, catalogSeq, advisories);
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
 * A page bound: the version normalized without metadata (§4.3); the client skips pages by it
 * (pitfall 5). Stored versions are already normalized full versions (nuspec.ts, fullVersion), so
 * that is the text before any '+': an index of many pages takes two of these per page.
 */
function bound(version: string): string {
  const plus = version.indexOf('+');
  return plus < 0 ? version : version.slice(0, plus);
}

/** The page's records at the hive's level, in NuGet order; they must be as many as its summary counts. */
function pageRecords(hive: Hive, lowerId: string, page: HivePage, content: PageContent): PackageVersionRecord[] {
  const level = hiveLevel(hive);
  const versions = content.pageVersions.get(page.page);
  if (!versions) throw new Error(`Page ${page.page} of ${lowerId} was built without its versions.`);
  const records = versions.map((version) => {
    const record = content.records.get(version);
    if (!record) throw new Error(`Page ${page.page} of ${lowerId} lacks ${version}.`);
    return record;
  });
  const shown = records.filter((record) => shownAt(level, record));
  if (shown.length !== page.count) {
    throw new Error(`Page ${page.page} of ${lowerId} holds ${shown.length} versions at ${level}, not ${page.count}.`);
  }
  return shown;
}

/**
 * One page object, its versions ascending. An inlined page's `@id` is the index URL plus a
 * fragment; a stub's and a page document's is the page document's URL.
 */
function pageObject(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  page: HivePage,
  shape: 'inlined' | 'stub' | 'document',
  content?: PageContent,
): RegistrationPage {
  const commit = registrationCommit(registration.lowerId, page.generation, [page.touched]);
  const indexUrl = links.registrationIndex(hive, registration.lowerId);
  const object: RegistrationPage = {
    '@id':
      shape === 'inlined'
        ? `${indexUrl}#page/${page.page}`
        : links.registrationPage(hive, registration.lowerId, page.page),
    '@type': 'catalog:CatalogPage',
    ...commit,
    count: page.count,
    lower: bound(page.lower),
    upper: bound(page.upper),
  };
  if (shape === 'stub') return object;
  if (!content) throw new Error(`Page ${page.page} of ${registration.lowerId} was built without its versions.`);
  object.items = pageRecords(hive, registration.lowerId, page, content).map((record) =>
    registrationLeafItem(
      links,
      hive,
      registration,
      record,
      commit,
      content.catalogLeaves.get(record.lowerVersion),
      content.advisories,
    ),
  );
  object.parent = indexUrl;
  return object;
}

/** The hive's pages of the layout (registrationLayout.ts hivePages). */
export function pagesOf(hive: Hive, layout: RegistrationLayout): HivePage[] {
  return hivePages(hiveLevel(hive), layout.pages);
}

/**
 * The registration index; null when the hive shows no version, which the route answers with 404
 * (§4: a missing id is "package does not exist"). Up to 127 versions every page is inlined and
 * `content` must hold them all; above that the index holds stubs and needs no content (§4.7).
 */
export function registrationIndex(
  links: FeedLinks,
  hive: Hive,
  layout: RegistrationLayout,
  content?: PageContent,
  /** The hive's pages, when the caller has them already (src/documents/plan.ts). */
  pages: readonly HivePage[] = pagesOf(hive, layout),
): RegistrationIndex | null {
  const { registration } = layout;
  if (pages.length === 0) return null;
  const shape = isPaged(pages) ? 'stub' : 'inlined';
  return {
    '@id': links.registrationIndex(hive, registration.lowerId),
    '@type': ['catalog:CatalogRoot', 'PackageRegistration', 'catalog:Permalink'],
    ...registrationCommit(
      registration.lowerId,
      registration.generation,
      pages.map((page) => page.touched),
    ),
    count: pages.length,
    items: pages.map((page) => pageObject(links, hive, registration, page, shape, content)),
  };
}

/** A page document (§4.4): served when the index holds stubs. */
export function registrationPage(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  page: HivePage,
  content: PageContent,
): RegistrationPage {
  return pageObject(links, hive, registration, page, 'document', content);
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
