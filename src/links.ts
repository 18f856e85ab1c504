/**
 * The one definition of every public URL shape the feed serves or emits (protocol §0 layout).
 * Each shape is one itty-router pattern in `routes`: src/index.ts routes by it, feedLinks fills
 * the same pattern in to build URLs, and where a path carries structure a parse helper in
 * src/linkParams.ts reads it back. Changing a URL shape is an edit here and nowhere else.
 *
 * Every `@id` is absolute (§1.1), built from the origin the request arrived at. Registration
 * documents are precomputed into KV before any request exists, so they are built against
 * STORED_ORIGIN and bound to the real origin (and hive) when served: see bindStoredDocument.
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

const hivePath = {
  semver1: '/v3/registration/',
  'semver1-gz': '/v3/registration-gz/',
  'semver2-gz': '/v3/registration-gz-semver2/',
} as const satisfies Record<Hive, string>;

/** The hive a stored document of each level is built in (and rewritten from when served elsewhere). */
const storedHive: Record<HiveLevel, Hive> = { semver1: 'semver1', semver2: 'semver2-gz' };

const FLAT = '/v3/flat/';
const CATALOG = '/v3/catalog/';
const VULNERABILITIES = '/v3/vulnerabilities/';
/** The symbol server's base, nuget.org's path (symbols.nuget.org/download/symbols): what users give their debugger. */
const SYMBOLS = '/download/symbols';
const PACKAGE_PUBLISH = '/api/v2/package';
const PACKAGES = '/packages';
const PACKAGE_DETAILS = `${PACKAGES}/:id/:version`;
/** The web gallery's own styles, script and images (src/gallery), served by the feed itself. */
const GALLERY_ASSETS = '/_gallery/';
/** Admin endpoints (key management, page rebuilds): authenticated by the admin key, not by the private-feed gate. */
const ADMIN = '/admin/';

/**
 * A registration document's path inside its id's folder (§4.1); only the index URL is predictable
 * (§4), so a page is named by its stable number (src/store/registrationPages.ts), not its bounds.
 */
export const hiveDocuments = { index: 'index.json', page: 'page/:page.json', leaf: ':version.json' } as const;

function hiveRoutes<Base extends string>(base: Base) {
  return {
    index: `${base}:lowerId/${hiveDocuments.index}`,
    page: `${base}:lowerId/${hiveDocuments.page}`,
    leaf: `${base}:lowerId/${hiveDocuments.leaf}`,
  } as const;
}

/**
 * Every route's itty-router pattern. `:name` matches one path segment, or the part of one before
 * a `.`. itty-router matches every pattern with trailing slashes too, so `packagePublish` also
 * takes the `{@id}/` the client PUTs to (§2.1).
 */
export const routes = {
  root: '/',
  serviceIndex: '/v3/index.json',
  packagePublish: PACKAGE_PUBLISH,
  /** The client addresses unlist (DELETE) and relist (POST) below the publish URL (§2.1, §2.5). */
  packageListing: `${PACKAGE_PUBLISH}/:id/:version`,
  symbolPackagePublish: '/api/v2/symbolpackage',
  /** An SSQP key below the symbol server's base: `{file}/{signature}/{file}` (src/nuget/ssqp.ts). */
  symbolFile: `${SYMBOLS}/:file/:key/:file2`,
  versionsIndex: `${FLAT}:lowerId/index.json`,
  packageFile: `${FLAT}:lowerId/:version/:file`,
  registration: {
    semver1: hiveRoutes(hivePath.semver1),
    'semver1-gz': hiveRoutes(hivePath['semver1-gz']),
    'semver2-gz': hiveRoutes(hivePath['semver2-gz']),
  },
  search: '/v3/query',
  autocomplete: '/v3/autocomplete',
  catalogIndex: `${CATALOG}index.json`,
  catalogPage: `${CATALOG}page:page.json`,
  catalogLeaf: `${CATALOG}data/:seq/:file`,
  vulnerabilityIndex: `${VULNERABILITIES}index.json`,
  vulnerabilityPage: `${VULNERABILITIES}:name.json`,
  packageDetails: PACKAGE_DETAILS,
  /** The web gallery: search results, and a package's latest listed version. */
  packageSearchPage: PACKAGES,
  packagePage: `${PACKAGES}/:id`,
  favicon: '/favicon.svg',
  robots: '/robots.txt',
  galleryStyles: `${GALLERY_ASSETS}site.css`,
  galleryScript: `${GALLERY_ASSETS}site.js`,
  defaultIcon: `${GALLERY_ASSETS}package.svg`,
  reportAbuse: `${PACKAGE_DETAILS}/report`,
  rebuildDocuments: `${ADMIN}rebuild-pages`,
  keys: `${ADMIN}keys`,
  key: `${ADMIN}keys/:ref`,
  deprecations: `${ADMIN}deprecations`,
  advisories: `${ADMIN}advisories`,
  advisoryImport: `${ADMIN}advisories/import`,
  adminPackage: `${ADMIN}packages/:id`,
  adminPackageVersion: `${ADMIN}packages/:id/:version`,
  auditLog: `${ADMIN}log`,
  trustPolicies: `${ADMIN}trust`,
  trustPolicy: `${ADMIN}trust/:policy`,
  /** Trusted publishing's token exchange, at nuget.org's path so NuGet/login needs no more than its URL. */
  tokenExchange: '/api/v2/token',
  retention: `${ADMIN}retention`,
  retentionRun: `${ADMIN}retention/run`,
  upstream: `${ADMIN}upstream`,
  upstreamPackage: `${ADMIN}upstream/:id`,
} as const;

type Before<S extends string, Delimiter extends string> = S extends `${infer Head}${Delimiter}${string}` ? Head : S;
/** The `:name` parameters of a pattern. */
type ParamName<P extends string> = P extends `${string}:${infer Rest}`
  ? Before<Before<Rest, '/'>, '.'> | ParamName<Rest>
  : never;
/** What itty-router hands a route for a pattern: its parameters, still percent-encoded. */
export type RouteParams<P extends string> = { readonly [Name in ParamName<P>]?: string };

/** A pattern with its parameters filled in: the path of one URL of that shape. */
export function fill<P extends string>(pattern: P, values: Record<ParamName<P>, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => (values as Record<string, string>)[name] ?? '');
}

/**
 * The files of a version folder (§3.1, §3.3), in the order a file name is tried against them; the
 * .snupkg sits beside the .nupkg, as on nuget.org, for clients and mirrors that fetch symbols whole.
 */
export const PACKAGE_FILES = ['nupkg', 'nuspec', 'readme', 'icon', 'snupkg'] as const;
export type PackageFile = (typeof PACKAGE_FILES)[number];
export const packageFileName: Record<PackageFile, (lowerId: string, lowerVersion: string) => string> = {
  nupkg: (lowerId, lowerVersion) => `${lowerId}.${lowerVersion}.nupkg`,
  nuspec: (lowerId) => `${lowerId}.nuspec`,
  readme: () => 'readme',
  icon: () => 'icon',
  snupkg: (lowerId, lowerVersion) => `${lowerId}.${lowerVersion}.snupkg`,
};

/** A catalog leaf's file name repeats its item's id and version (§7.3). */
export function catalogLeafFile(lowerId: string, lowerVersion: string): string {
  return `${lowerId}.${lowerVersion}.json`;
}

export interface FeedLinks {
  readonly origin: string;
  readonly serviceIndex: string;
  readonly flatContainer: string;
  readonly search: string;
  readonly autocomplete: string;
  readonly packagePublish: string;
  readonly symbolPackagePublish: string;
  /** The symbol server URL for Visual Studio, Rider, dotnet-symbol and _NT_SYMBOL_PATH. */
  readonly symbolServer: string;
  readonly catalogIndex: string;
  readonly vulnerabilityIndex: string;
  readonly readmeTemplate: string;
  readonly packageDetailsTemplate: string;
  readonly reportAbuseTemplate: string;
  readonly home: string;
  readonly packageSearchPage: string;
  readonly galleryAssets: { favicon: string; styles: string; script: string; defaultIcon: string };
  packagePage(id: string): string;
  hiveBase(hive: Hive): string;
  registrationIndex(hive: Hive, lowerId: string): string;
  registrationPage(hive: Hive, lowerId: string, page: number): string;
  registrationLeaf(hive: Hive, lowerId: string, lowerVersion: string): string;
  versionsIndex(lowerId: string): string;
  packageContent(lowerId: string, lowerVersion: string): string;
  manifest(lowerId: string, lowerVersion: string): string;
  readme(lowerId: string, lowerVersion: string): string;
  icon(lowerId: string, lowerVersion: string): string;
  symbolPackage(lowerId: string, lowerVersion: string): string;
  /** A symbol file by its SSQP key: the file name and its signature (src/nuget/ssqp.ts). */
  symbolFile(fileName: string, signature: string): string;
  packageDetails(id: string, version: string): string;
  reportAbuse(id: string, version: string): string;
  catalogPage(page: number): string;
  catalogLeaf(seq: number, lowerId: string, lowerVersion: string): string;
  vulnerabilityPage(name: string): string;
}

/** Lower-case, normalized id and version segments are URL-safe by NuGet's own rules; display ids are encoded. */
export function feedLinks(origin: string): FeedLinks {
  const at = <P extends string>(pattern: P, values: Record<ParamName<P>, string>) => origin + fill(pattern, values);
  const file = (kind: PackageFile) => (lowerId: string, lowerVersion: string) =>
    at(routes.packageFile, { lowerId, version: lowerVersion, file: packageFileName[kind](lowerId, lowerVersion) });
  const details = (id: string, version: string) => ({
    id: encodeURIComponent(id),
    version: encodeURIComponent(version),
  });
  const template = { id: '{id}', version: '{version}' };
  return {
    origin,
    serviceIndex: origin + routes.serviceIndex,
    flatContainer: origin + FLAT,
    search: origin + routes.search,
    autocomplete: origin + routes.autocomplete,
    packagePublish: origin + routes.packagePublish,
    symbolPackagePublish: origin + routes.symbolPackagePublish,
    symbolServer: origin + SYMBOLS,
    catalogIndex: origin + routes.catalogIndex,
    vulnerabilityIndex: origin + routes.vulnerabilityIndex,
    readmeTemplate: file('readme')('{lower_id}', '{lower_version}'),
    packageDetailsTemplate: at(routes.packageDetails, template),
    reportAbuseTemplate: at(routes.reportAbuse, template),
    home: origin + routes.root,
    packageSearchPage: origin + routes.packageSearchPage,
    galleryAssets: {
      favicon: origin + routes.favicon,
      styles: origin + routes.galleryStyles,
      script: origin + routes.galleryScript,
      defaultIcon: origin + routes.defaultIcon,
    },
    packagePage: (id) => at(routes.packagePage, { id: encodeURIComponent(id) }),
    hiveBase: (hive) => origin + hivePath[hive],
    registrationIndex: (hive, lowerId) => at(routes.registration[hive].index, { lowerId }),
    registrationPage: (hive, lowerId, page) => at(routes.registration[hive].page, { lowerId, page: String(page) }),
    registrationLeaf: (hive, lowerId, lowerVersion) =>
      at(routes.registration[hive].leaf, { lowerId, version: lowerVersion }),
    versionsIndex: (lowerId) => at(routes.versionsIndex, { lowerId }),
    packageContent: file('nupkg'),
    manifest: file('nuspec'),
    readme: file('readme'),
    icon: file('icon'),
    symbolPackage: file('snupkg'),
    symbolFile: (fileName, signature) => {
      const file = encodeURIComponent(fileName);
      return at(routes.symbolFile, { file, key: signature, file2: file });
    },
    packageDetails: (id, version) => at(routes.packageDetails, details(id, version)),
    reportAbuse: (id, version) => at(routes.reportAbuse, details(id, version)),
    catalogPage: (page) => at(routes.catalogPage, { page: String(page) }),
    catalogLeaf: (seq, lowerId, lowerVersion) =>
      at(routes.catalogLeaf, { seq: String(seq), file: catalogLeafFile(lowerId, lowerVersion) }),
    vulnerabilityPage: (name) => at(routes.vulnerabilityPage, { name }),
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

/** The API's path prefixes: no use to a crawler (robots.txt). */
export const API_PATH_PREFIXES = ['/v3/', '/api/', ADMIN] as const;

/** Paths served without credentials even on a private feed: robots.txt, so crawlers learn to stay out. */
export function isOpenPath(pathname: string): boolean {
  return pathname === routes.robots;
}

/** Whether a path is an admin endpoint's. */
export function isAdminPath(pathname: string): boolean {
  return pathname.startsWith(ADMIN);
}
