/**
 * The search response (protocol §5.3), built from the eligible listed versions of each hit:
 * `version` and every metadata field come from the latest of them in NuGet order (§9.3), which
 * the store picks by versionSortKey (src/nuget/version.ts).
 */
import type { FeedLinks, Hive } from '../links';
import { searchVulnerabilities } from './advisory';
import type { Deprecation } from './deprecation';
import type { PackageType, PackageVersionRecord } from './types';
import type { Advisory, Severity } from './vulnerabilities';
import { compareVersions, parseVersion } from './version';

/** One search hit: the versions the request's prerelease/semVerLevel allow, all listed. */
export interface SearchPackage {
  /** Display id: casing of the first push (§10.1). */
  id: string;
  lowerId: string;
  totalDownloads: number;
  /** The latest of `versions`, in full. */
  latest: PackageVersionRecord;
  /** Ascending in NuGet order. */
  versions: SearchPackageVersion[];
  /** The id's advisories; the result lists those its latest version is affected by. */
  advisories: Advisory[];
}

export interface SearchPackageVersion {
  /** Full string (§9.2). */
  version: string;
  lowerVersion: string;
  downloads: number;
}

export interface SearchVersion {
  version: string;
  downloads: number;
  '@id': string;
}

export interface SearchResult {
  '@id': string;
  '@type': 'Package';
  registration: string;
  id: string;
  version: string;
  description: string;
  summary: string;
  title: string;
  copyright: string;
  iconUrl: string;
  licenseUrl: string;
  projectUrl: string;
  tags: string[];
  authors: string[];
  totalDownloads: number;
  verified: boolean;
  packageTypes: PackageType[];
  versions: SearchVersion[];
  deprecation?: Deprecation;
  vulnerabilities: { advisoryUrl: string; severity: Severity }[];
}

export interface SearchResponse {
  '@context': { '@vocab': string; '@base': string };
  totalHits: number;
  data: SearchResult[];
}

/** Ascending NuGet order; stored versions always parse, the fallback only keeps the sort total. */
export function sortVersions<T extends { version: string }>(versions: readonly T[]): T[] {
  const keyed = versions.map((v) => ({ v, parsed: parseVersion(v.version) }));
  keyed.sort((a, b) =>
    a.parsed && b.parsed ? compareVersions(a.parsed, b.parsed) : a.v.version < b.v.version ? -1 : 1,
  );
  return keyed.map((k) => k.v);
}

/** §5.3: at least one type; a package declaring none is a "Dependency" (NuGet's default). */
export function packageTypesOf(declared: readonly PackageType[]): PackageType[] {
  return declared.length > 0 ? declared.map((t) => ({ ...t })) : [{ name: 'Dependency' }];
}

/** §5.1 packageType: the latest matching version declares the type; names compare case-insensitively. */
export function declaresPackageType(declared: readonly PackageType[], name: string): boolean {
  return packageTypesOf(declared).some((t) => t.name.toLowerCase() === name.toLowerCase());
}

function licenseUrlOf(r: PackageVersionRecord): string {
  if (r.licenseUrl !== '' || r.licenseExpression === '') return r.licenseUrl;
  return `https://licenses.nuget.org/${encodeURIComponent(r.licenseExpression)}`;
}

/** `deprecation` and `vulnerabilities` are the latest version's (§5.3); `[]` when it has none. */
function resultOf(links: FeedLinks, hive: Hive, hit: SearchPackage): SearchResult {
  const latest = hit.latest;
  const registration = links.registrationIndex(hive, hit.lowerId);
  const result: SearchResult = {
    '@id': registration,
    '@type': 'Package',
    registration,
    id: hit.id,
    version: latest.version,
    description: latest.description,
    summary: latest.summary,
    title: latest.title || hit.id,
    // Not in nuget.org's results, but PSResourceGet reads it when present (issue 11); "" when absent.
    copyright: latest.copyright,
    iconUrl: latest.iconContentType !== '' ? links.icon(latest.lowerId, latest.lowerVersion) : latest.iconUrl,
    licenseUrl: licenseUrlOf(latest),
    projectUrl: latest.projectUrl,
    tags: latest.tags.split(/[\s,]+/).filter((t) => t !== ''),
    // nuget.org sends the nuspec's authors string as a one-item array; owners are omitted (no ownership).
    authors: [latest.authors],
    totalDownloads: hit.totalDownloads,
    verified: false,
    packageTypes: packageTypesOf(latest.packageTypes),
    versions: hit.versions.map((v) => ({
      version: v.version,
      downloads: v.downloads,
      '@id': links.registrationLeaf(hive, hit.lowerId, v.lowerVersion),
    })),
    vulnerabilities: searchVulnerabilities(latest.version, hit.advisories),
  };
  if (latest.deprecation) result.deprecation = latest.deprecation;
  return result;
}

/**
 * §5.3 root. `hive` is the registration hive semVerLevel implies (nuget.org picks the SemVer 1
 * or SemVer 2 base the same way), so `registration` never points SemVer 1 clients at SemVer 2 data.
 */
export function searchResponse(
  links: FeedLinks,
  hive: Hive,
  totalHits: number,
  hits: readonly SearchPackage[],
): SearchResponse {
  return {
    '@context': { '@vocab': 'http://schema.nuget.org/schema#', '@base': links.hiveBase(hive) },
    totalHits,
    data: hits.map((hit) => resultOf(links, hive, hit)),
  };
}
