/**
 * The one author of every public URL the feed serves or emits (protocol §0 layout).
 * Every `@id` is absolute (§1.1), built from the origin the request arrived at.
 *
 * Registration documents are precomputed into KV before any request exists, so they are built
 * against STORED_ORIGIN and bound to the real origin (and hive) when served: see bindStoredDocument.
 */

/** A reserved (.invalid) origin that stands for "the origin this document is served from". */
export const STORED_ORIGIN = 'https://edgeget.invalid';

/** The three registration hives (protocol §1.2, §4.8). */
export type Hive = 'semver1' | 'semver1-gz' | 'semver2-gz';
export const HIVES: readonly Hive[] = ['semver1', 'semver1-gz', 'semver2-gz'];

/** The content level a hive shows: SemVer 1 hives exclude SemVer 2 package versions. */
export type HiveLevel = 'semver1' | 'semver2';
export function hiveLevel(hive: Hive): HiveLevel {
  return hive === 'semver2-gz' ? 'semver2' : 'semver1';
}
export function hiveIsGzip(hive: Hive): boolean {
  return hive !== 'semver1';
}

const hivePath: Record<Hive, string> = {
  semver1: '/v3/registration/',
  'semver1-gz': '/v3/registration-gz/',
  'semver2-gz': '/v3/registration-gz-semver2/',
};

/** The hive a stored document of each level is built in (and rewritten from when served elsewhere). */
const storedHive: Record<HiveLevel, Hive> = { semver1: 'semver1', semver2: 'semver2-gz' };

export const paths = {
  serviceIndex: '/v3/index.json',
  flatContainer: '/v3/flat/',
  registration: hivePath,
  search: '/v3/query',
  autocomplete: '/v3/autocomplete',
  packagePublish: '/api/v2/package',
  symbolPackagePublish: '/api/v2/symbolpackage',
  catalog: '/v3/catalog/',
  vulnerabilities: '/v3/vulnerabilities/',
  packageDetails: '/packages/',
  /** Admin endpoints (key management, page rebuilds): authenticated by the admin key, not by the private-feed gate. */
  admin: '/admin/',
  adminKeys: '/admin/keys',
} as const;

export interface FeedLinks {
  readonly origin: string;
  readonly serviceIndex: string;
  readonly flatContainer: string;
  readonly search: string;
  readonly autocomplete: string;
  readonly packagePublish: string;
  readonly symbolPackagePublish: string;
  readonly catalogIndex: string;
  readonly vulnerabilityIndex: string;
  readonly readmeTemplate: string;
  readonly packageDetailsTemplate: string;
  readonly reportAbuseTemplate: string;
  hiveBase(hive: Hive): string;
  registrationIndex(hive: Hive, lowerId: string): string;
  registrationPage(hive: Hive, lowerId: string, lower: string, upper: string): string;
  registrationLeaf(hive: Hive, lowerId: string, lowerVersion: string): string;
  versionsIndex(lowerId: string): string;
  packageContent(lowerId: string, lowerVersion: string): string;
  manifest(lowerId: string, lowerVersion: string): string;
  readme(lowerId: string, lowerVersion: string): string;
  icon(lowerId: string, lowerVersion: string): string;
  packageDetails(id: string, version: string): string;
  reportAbuse(id: string, version: string): string;
  catalogPage(page: number): string;
  catalogLeaf(seq: number, lowerId: string, lowerVersion: string): string;
  vulnerabilityPage(name: string): string;
}

/** Lower-case, normalized id and version segments are URL-safe by NuGet's own rules; display ids are encoded. */
export function feedLinks(origin: string): FeedLinks {
  const flat = origin + paths.flatContainer;
  const hiveBase = (hive: Hive) => origin + hivePath[hive];
  const versionFolder = (lowerId: string, lowerVersion: string) => `${flat}${lowerId}/${lowerVersion}/`;
  const details = (id: string, version: string) =>
    `${origin}${paths.packageDetails}${encodeURIComponent(id)}/${encodeURIComponent(version)}`;
  return {
    origin,
    serviceIndex: origin + paths.serviceIndex,
    flatContainer: flat,
    search: origin + paths.search,
    autocomplete: origin + paths.autocomplete,
    packagePublish: origin + paths.packagePublish,
    symbolPackagePublish: origin + paths.symbolPackagePublish,
    catalogIndex: `${origin}${paths.catalog}index.json`,
    vulnerabilityIndex: `${origin}${paths.vulnerabilities}index.json`,
    readmeTemplate: `${flat}{lower_id}/{lower_version}/readme`,
    packageDetailsTemplate: `${origin}${paths.packageDetails}{id}/{version}`,
    reportAbuseTemplate: `${origin}${paths.packageDetails}{id}/{version}/report`,
    hiveBase,
    registrationIndex: (hive, lowerId) => `${hiveBase(hive)}${lowerId}/index.json`,
    registrationPage: (hive, lowerId, lower, upper) =>
      `${hiveBase(hive)}${lowerId}/page/${lower.toLowerCase()}/${upper.toLowerCase()}.json`,
    registrationLeaf: (hive, lowerId, lowerVersion) => `${hiveBase(hive)}${lowerId}/${lowerVersion}.json`,
    versionsIndex: (lowerId) => `${flat}${lowerId}/index.json`,
    packageContent: (lowerId, lowerVersion) =>
      `${versionFolder(lowerId, lowerVersion)}${lowerId}.${lowerVersion}.nupkg`,
    manifest: (lowerId, lowerVersion) => `${versionFolder(lowerId, lowerVersion)}${lowerId}.nuspec`,
    readme: (lowerId, lowerVersion) => `${versionFolder(lowerId, lowerVersion)}readme`,
    icon: (lowerId, lowerVersion) => `${versionFolder(lowerId, lowerVersion)}icon`,
    packageDetails: details,
    reportAbuse: (id, version) => `${details(id, version)}/report`,
    catalogPage: (page) => `${origin}${paths.catalog}page${page}.json`,
    catalogLeaf: (seq, lowerId, lowerVersion) => `${origin}${paths.catalog}data/${seq}/${lowerId}.${lowerVersion}.json`,
    vulnerabilityPage: (name) => `${origin}${paths.vulnerabilities}${name}.json`,
  };
}

/** Links for documents stored in KV: built in the level's own hive, against STORED_ORIGIN. */
export function storedLinks(): FeedLinks {
  return feedLinks(STORED_ORIGIN);
}
export function storedHiveOf(level: HiveLevel): Hive {
  return storedHive[level];
}

/** Binds a stored registration document to the origin and hive it is served from. */
export function bindStoredDocument(text: string, origin: string, hive: Hive): string {
  const built = STORED_ORIGIN + hivePath[storedHive[hiveLevel(hive)]];
  const served = origin + hivePath[hive];
  return text.replaceAll(built, served).replaceAll(STORED_ORIGIN, origin);
}

/** The request's origin: the one base every emitted URL is built on. */
export function originOf(request: Request): string {
  return new URL(request.url).origin;
}
