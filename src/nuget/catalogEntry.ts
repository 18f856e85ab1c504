/**
 * The `catalogEntry` of a registration leaf item (protocol §4.6): one package version's full
 * metadata as the client reads it for `dotnet add package`, VS and restore.
 */
import { type FeedLinks, type Hive, hiveLevel } from '../links';
import { registrationVulnerabilities } from './advisory';
import type { Deprecation } from './deprecation';
import type { PackageRegistration, PackageVersionRecord } from './types';
import type { Advisory } from './vulnerabilities';

/** nuget.org's legacy unlisted signal, still read by old clients (§4.6, pitfall 7). */
export const UNLISTED_PUBLISHED = '1900-01-01T00:00:00+00:00';

/** Any version: what an empty range means (§9.4). */
const ANY_RANGE = '(, )';

export interface RegistrationDependency {
  id: string;
  range: string;
  registration: string;
}

export interface RegistrationDependencyGroup {
  targetFramework?: string;
  dependencies?: RegistrationDependency[];
}

export interface CatalogEntry {
  '@id': string;
  '@type': 'PackageDetails';
  id: string;
  version: string;
  authors: string;
  copyright: string;
  description: string;
  summary: string;
  title: string;
  tags: string[];
  iconUrl: string;
  licenseExpression: string;
  licenseUrl: string;
  readmeUrl?: string;
  projectUrl: string;
  language: string;
  minClientVersion: string;
  requireLicenseAcceptance: boolean;
  listed: boolean;
  published: string;
  packageContent: string;
  dependencyGroups?: RegistrationDependencyGroup[];
  deprecation?: Deprecation;
  vulnerabilities?: { advisoryUrl: string; severity: string }[];
}

/**
 * The entry's `@id` (§4.6): the catalog leaf the entry came from, `catalogSeq` (the version's one
 * PackageDetails item, src/store/catalog.ts), the same in every hive. Clients follow it to read
 * the entry's `id` and `version` (issue 11). A version without a catalog item (rows seeded
 * without one) names its registration leaf instead, still a stable absolute URL.
 */
export function catalogEntryUrl(
  links: FeedLinks,
  hive: Hive,
  record: PackageVersionRecord,
  catalogSeq: number | undefined,
): string {
  if (catalogSeq !== undefined) return links.catalogLeaf(catalogSeq, record.lowerId, record.lowerVersion);
  return links.registrationLeaf(hive, record.lowerId, record.lowerVersion);
}

/** nuget.org sends an array with one empty string when there are no tags (§4.6). */
function tagList(tags: string): string[] {
  const list = tags.split(/\s+/).filter((tag) => tag !== '');
  return list.length > 0 ? list : [''];
}

/** An embedded icon is served from the flat container; else the nuspec's iconUrl (§4.6). */
export function iconUrl(links: FeedLinks, record: PackageVersionRecord): string {
  return record.iconContentType !== '' ? links.icon(record.lowerId, record.lowerVersion) : record.iconUrl;
}

/** A license expression without a URL points at licenses.nuget.org, which §4.6 allows. */
export function licenseUrl(record: PackageVersionRecord): string {
  if (record.licenseUrl !== '') return record.licenseUrl;
  if (record.licenseExpression === '') return '';
  return `https://licenses.nuget.org/${encodeURIComponent(record.licenseExpression)}`;
}

/**
 * Dependency `registration` points into the same hive (§4.8). An empty range is sent as
 * `(, )`, the normalized "any version" (§9.4), so every client path parses it. A group without
 * a framework omits `targetFramework`, and an empty group omits `dependencies` (§4.6, pitfall 13).
 */
function dependencyGroups(links: FeedLinks, hive: Hive, record: PackageVersionRecord): RegistrationDependencyGroup[] {
  return record.dependencyGroups.map((group) => {
    const out: RegistrationDependencyGroup = {};
    if (group.targetFramework) out.targetFramework = group.targetFramework;
    if (group.dependencies.length > 0) {
      out.dependencies = group.dependencies.map((dependency) => ({
        id: dependency.id,
        range: dependency.range === '' ? ANY_RANGE : dependency.range,
        registration: links.registrationIndex(hive, dependency.id.toLowerCase()),
      }));
    }
    return out;
  });
}

/**
 * `version` is the full string (§4.6); readmeUrl, a rendered page, only when there is a readme.
 * `advisories`: the id's, of which the entry lists those the version is affected by.
 * `copyright` is the nuspec's (§10.2), "" when absent: clients beyond dotnet show it
 * (PSResourceGet's Copyright, issue 11).
 */
export function catalogEntry(
  links: FeedLinks,
  hive: Hive,
  registration: PackageRegistration,
  record: PackageVersionRecord,
  catalogSeq?: number,
  advisories: readonly Advisory[] = [],
): CatalogEntry {
  const entry: CatalogEntry = {
    '@id': catalogEntryUrl(links, hive, record, catalogSeq),
    '@type': 'PackageDetails',
    id: record.id,
    version: record.version,
    authors: record.authors,
    copyright: record.copyright,
    description: record.description,
    summary: record.summary,
    title: record.title,
    tags: tagList(record.tags),
    iconUrl: iconUrl(links, record),
    licenseExpression: record.licenseExpression,
    licenseUrl: licenseUrl(record),
    projectUrl: record.projectUrl,
    language: record.language,
    minClientVersion: record.minClientVersion,
    requireLicenseAcceptance: record.requireLicenseAcceptance,
    listed: record.listed,
    published: record.listed ? record.published : UNLISTED_PUBLISHED,
    packageContent: links.packageContent(record.lowerId, record.lowerVersion),
  };
  if (record.hasReadme) entry.readmeUrl = links.packageDetails(registration.id, record.version.split('+')[0] ?? '');
  const groups = dependencyGroups(links, hive, record);
  if (groups.length > 0) entry.dependencyGroups = groups;
  // Only the SemVer 2 hive carries them, as on nuget.org (§4.8); it is the hive clients read them from.
  if (hiveLevel(hive) === 'semver2') {
    if (record.deprecation) entry.deprecation = record.deprecation;
    const vulnerabilities = registrationVulnerabilities(record.version, advisories);
    if (vulnerabilities.length > 0) entry.vulnerabilities = vulnerabilities;
  }
  return entry;
}
