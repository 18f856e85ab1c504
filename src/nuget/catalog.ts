/**
 * The catalog resource (protocol §7): a time-ordered log of package events (one PackageDetails item
 * per version, §7.5), read by mirrors and replicators, never by the official client. Builders
 * take stored items and links, return JSON.
 */
import type { FeedLinks } from '../links';
import type { DependencyGroup, PackageType, PackageVersionRecord } from './types';
import type { ZipEntry } from './zipEntry';

export type CatalogItemType = 'PackageDetails' | 'PackageDelete';

/** One catalog item, one commit; `details` is the version as it was at commit time. */
export interface CatalogItem {
  seq: number;
  /** Microseconds since the Unix epoch; strictly increasing across the log. */
  commitUs: number;
  commitId: string;
  itemType: CatalogItemType;
  lowerId: string;
  lowerVersion: string;
  id: string;
  version: string;
  details: PackageVersionRecord;
}

/** A page as the index lists it: its newest commit and its item count (§7.1). */
export interface CatalogPageSummary {
  page: number;
  count: number;
  commitUs: number;
  commitId: string;
}

/** The empty catalog's commit: the epoch, so every consumer cursor starts at or after it. */
const NO_COMMIT = { commitId: '00000000-0000-0000-0000-000000000000', commitUs: 0 };

/** nuget.org's unlisted signal for old clients (§4.6), kept in catalog leaves too (§7.3). */
const UNLISTED_PUBLISHED = '1900-01-01T00:00:00Z';
/** nuget.org's lastEdited of a version never edited since its push (.NET's DateTime.MinValue). */
const NEVER_EDITED = '0001-01-01T00:00:00Z';

/**
 * Zip entries that are the package's OPC packaging parts, not its files: NuGet's package reader
 * leaves them out of a package's files, and so do packageEntries (§7.3).
 */
function isPackageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return !(
    name.endsWith('/') ||
    lower === '[content_types].xml' ||
    lower.startsWith('_rels/') ||
    lower.startsWith('package/services/metadata/')
  );
}

/** §7.3 packageEntries: one per file of the .nupkg, its `@id` the leaf URL plus `#` and the path. */
function packageEntries(leafUrl: string, entries: readonly ZipEntry[]) {
  return entries
    .filter((entry) => isPackageFile(entry.name))
    .map((entry) => ({
      '@id': `${leafUrl}#${entry.name}`,
      '@type': 'PackageEntry',
      compressedLength: entry.compressedSize,
      fullName: entry.name,
      length: entry.uncompressedSize,
      name: entry.name.slice(entry.name.lastIndexOf('/') + 1),
    }));
}

const CONTEXT = {
  '@vocab': 'http://schema.nuget.org/schema#',
  catalog: 'http://schema.nuget.org/catalog#',
  nuget: 'http://schema.nuget.org/schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  items: { '@id': 'catalog:item', '@container': '@set' },
  parent: { '@id': 'catalog:parent', '@type': '@id' },
  commitTimeStamp: { '@id': 'catalog:commitTimeStamp', '@type': 'xsd:dateTime' },
  commitId: { '@id': 'catalog:commitId' },
  count: { '@id': 'catalog:count' },
};

/**
 * Commit timestamps in nuget.org's form, 7 fractional digits and `Z` (§7.1): consumers compare
 * them as cursors (§7.4), so the microseconds must survive the round trip.
 */
export function commitTimeStamp(commitUs: number): string {
  const seconds = Math.floor(commitUs / 1_000_000);
  const fraction = String((commitUs - seconds * 1_000_000) * 10).padStart(7, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

export function catalogIndex(links: FeedLinks, pages: CatalogPageSummary[]) {
  const newest = pages.reduce<{ commitId: string; commitUs: number }>(
    (best, p) => (p.commitUs > best.commitUs ? p : best),
    NO_COMMIT,
  );
  return {
    '@id': links.catalogIndex,
    '@type': ['CatalogRoot', 'AppendOnlyCatalog', 'Permalink'],
    commitId: newest.commitId,
    commitTimeStamp: commitTimeStamp(newest.commitUs),
    count: pages.length,
    items: pages.map((p) => ({
      '@id': links.catalogPage(p.page),
      '@type': 'CatalogPage',
      commitId: p.commitId,
      commitTimeStamp: commitTimeStamp(p.commitUs),
      count: p.count,
    })),
    '@context': CONTEXT,
  };
}

/** One page (§7.2); `items` is non-empty and in commit order. */
export function catalogPage(links: FeedLinks, page: number, items: CatalogItem[]) {
  const newest = items[items.length - 1] ?? NO_COMMIT;
  return {
    '@id': links.catalogPage(page),
    '@type': 'CatalogPage',
    commitId: newest.commitId,
    commitTimeStamp: commitTimeStamp(newest.commitUs),
    count: items.length,
    parent: links.catalogIndex,
    items: items.map((item) => ({
      '@id': links.catalogLeaf(item.seq, item.lowerId, item.lowerVersion),
      '@type': `nuget:${item.itemType}`,
      commitId: item.commitId,
      commitTimeStamp: commitTimeStamp(item.commitUs),
      'nuget:id': item.id,
      'nuget:version': item.version,
    })),
    '@context': CONTEXT,
  };
}

/** Catalog dependency groups are the registration shape without `registration` (§7.3). */
function catalogDependencyGroups(groups: DependencyGroup[]) {
  return groups.map((group) => ({
    ...(group.targetFramework ? { targetFramework: group.targetFramework } : {}),
    dependencies: group.dependencies.map((d) => (d.range ? { id: d.id, range: d.range } : { id: d.id })),
  }));
}

function packageTypes(types: PackageType[]) {
  return types.length > 0 ? { packageTypes: types.map((t) => ({ ...t })) } : {};
}

/** The embedded icon is served by the flat container; otherwise the nuspec's <iconUrl> (§4.6). */
function iconUrl(links: FeedLinks, r: PackageVersionRecord): string {
  return r.iconContentType ? links.icon(r.lowerId, r.lowerVersion) : r.iconUrl;
}

/**
 * A leaf (§7.3). PackageDelete carries the original version and the deletion time as `published`.
 * `entries` are the .nupkg's zip entries (src/store/packageArchive.ts); null leaves
 * packageEntries out (the blob could not be read). lastEdited is the last unlist or relist, or
 * nuget.org's "never" for a version unchanged since its push (items from before the column
 * existed have none).
 */
export function catalogLeaf(links: FeedLinks, item: CatalogItem, entries: readonly ZipEntry[] | null = null) {
  const r = item.details;
  const leafUrl = links.catalogLeaf(item.seq, item.lowerId, item.lowerVersion);
  const common = {
    '@id': leafUrl,
    '@type': [item.itemType, 'catalog:Permalink'],
    'catalog:commitId': item.commitId,
    'catalog:commitTimeStamp': commitTimeStamp(item.commitUs),
    id: item.id,
  };
  if (item.itemType === 'PackageDelete') {
    return {
      ...common,
      originalId: r.id,
      version: r.originalVersion,
      published: commitTimeStamp(item.commitUs),
      '@context': CONTEXT,
    };
  }
  return {
    ...common,
    version: r.version,
    verbatimVersion: r.originalVersion,
    published: r.listed ? r.published : UNLISTED_PUBLISHED,
    created: r.created,
    lastEdited: r.lastEdited || NEVER_EDITED,
    listed: r.listed,
    packageHash: r.packageHash,
    packageHashAlgorithm: 'SHA512',
    packageSize: r.packageSize,
    authors: r.authors,
    description: r.description,
    summary: r.summary,
    title: r.title,
    tags: r.tags.split(/\s+/).filter((t) => t !== ''),
    iconUrl: iconUrl(links, r),
    licenseUrl: r.licenseUrl,
    licenseExpression: r.licenseExpression,
    projectUrl: r.projectUrl,
    releaseNotes: r.releaseNotes,
    copyright: r.copyright,
    language: r.language,
    minClientVersion: r.minClientVersion,
    isPrerelease: r.isPrerelease,
    requireLicenseAgreement: r.requireLicenseAcceptance,
    dependencyGroups: catalogDependencyGroups(r.dependencyGroups),
    ...packageTypes(r.packageTypes),
    ...(entries === null ? {} : { packageEntries: packageEntries(leafUrl, entries) }),
    '@context': CONTEXT,
  };
}
