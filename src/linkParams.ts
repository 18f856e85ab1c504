/**
 * The parse helpers of the URL shapes in src/links.ts: what the parameters itty-router matched
 * for a route name, read back into ids, versions and files. Pure; a null is a URL of the right
 * shape that names nothing the feed serves. Every id and version segment is length-checked
 * here, before any route touches storage: KV refuses keys over 512 bytes (docs/platform.md §3),
 * and no stored id or version is that long (§10.1, §10.2).
 */
import { MAX_PACKAGE_ID_LENGTH } from './nuget/packageId';
import { fail, type Failure, isFailure } from './problems';
import type { SearchState } from './gallery/packageList';
import { type NuGetVersion, lowerVersion, parseVersion } from './nuget/version';
import { parseSymbolKey, type SymbolKey } from './nuget/ssqp';
import {
  catalogLeafFile,
  fill,
  hiveDocuments,
  PACKAGE_FILES,
  type PackageFile,
  packageFileName,
  type RouteParams,
  type routes,
} from './links';

type HiveRoutes = (typeof routes.registration)['semver1'];

/**
 * Ids and versions in flat-container and registration paths are accepted in any case (§3.1) and
 * not percent-decoded: they are ASCII letters, digits and ".-_+" (§10.1).
 */
function lower(segment: string | undefined): string {
  return (segment ?? '').toLowerCase();
}

/**
 * A version segment's cap: a nuspec <version> has at most 64 characters (§10.2), and its
 * normalized form (§9.2) adds at most a few ("1-a" → "1.0.0-a"); 128 leaves room and keeps every
 * key built from an id and a version well under KV's 512 bytes.
 */
export const MAX_VERSION_SEGMENT_LENGTH = 128;

/** An id segment, lowercased; null when longer than any id the feed stores (§10.1: 100). */
function idSegment(segment: string | undefined): string | null {
  const id = lower(segment);
  return id.length <= MAX_PACKAGE_ID_LENGTH ? id : null;
}

function versionSegment(segment: string | undefined): string | null {
  const version = lower(segment);
  return version.length <= MAX_VERSION_SEGMENT_LENGTH ? version : null;
}

/**
 * An id given as a query value (admin requests): lowercased; null when it is empty or longer
 * than any id the feed stores (§10.1).
 */
/**
 * The id and version of a publish or admin package URL (§2.5) as the user typed them: the client
 * percent-escapes them and the router leaves them so. null: a segment is not validly escaped;
 * `version` null: the URL names none (an admin delete of every version).
 */
export function parsePackageSegments(params: {
  readonly id?: string;
  readonly version?: string;
}): { id: string; version: string | null } | null {
  try {
    return {
      id: decodeURIComponent(params.id ?? ''),
      version: params.version === undefined ? null : decodeURIComponent(params.version),
    };
  } catch {
    return null;
  }
}

export function parseIdValue(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : idSegment(value);
}

/** The id of a version list (§3.2); null when no stored id is that long. */
export function parseVersionsIndex(params: RouteParams<typeof routes.versionsIndex>): { lowerId: string } | null {
  const lowerId = idSegment(params.lowerId);
  return lowerId === null ? null : { lowerId };
}

/** A registration document as requested: its id, and its name inside the id's folder (for messages). */
export interface RegistrationRequest {
  lowerId: string;
  document: string;
}

/** null: the id is longer than any stored id, so the hive has nothing there. */
export function parseRegistrationIndex(params: RouteParams<HiveRoutes['index']>): RegistrationRequest | null {
  const lowerId = idSegment(params.lowerId);
  return lowerId === null ? null : { lowerId, document: hiveDocuments.index };
}

/** A page's number as the feed writes it (decimal, no leading zeros); null when it names none. */
export function parseRegistrationPage(
  params: RouteParams<HiveRoutes['page']>,
): (RegistrationRequest & { page: number }) | null {
  const lowerId = idSegment(params.lowerId);
  const page = counter(params.page);
  if (lowerId === null || page === null) return null;
  return { lowerId, page, document: fill(hiveDocuments.page, { page: String(page) }) };
}

/** The page number a stub's `@id` ends in (the shape registrationPage builds); null for any other URL. */
export function pageNumberOfUrl(url: string): number | null {
  const [before, after] = hiveDocuments.page.split(':page');
  if (!url.endsWith(after ?? '')) return null;
  const head = url.slice(0, url.length - (after ?? '').length);
  const start = head.lastIndexOf(`/${before}`);
  return start < 0 ? null : counter(head.slice(start + 1 + (before ?? '').length));
}

/** A leaf's version (§4.9), in any form that parses; null when the id or version cannot be stored. */
export function parseRegistrationLeaf(
  params: RouteParams<HiveRoutes['leaf']>,
): (RegistrationRequest & { version: NuGetVersion }) | null {
  const lowerId = idSegment(params.lowerId);
  const segment = versionSegment(params.version);
  const version = segment === null ? null : parseVersion(segment);
  if (lowerId === null || segment === null || version === null) return null;
  return { lowerId, version, document: fill(hiveDocuments.leaf, { version: segment }) };
}

/**
 * The file a flat-container URL names, with its version's identity; null when it names none.
 * The version segment may be non-canonical (§3.1), and a .nupkg name may repeat it as given or
 * normalized.
 */
export function parsePackageFile(
  params: RouteParams<typeof routes.packageFile>,
): { lowerId: string; lowerVersion: string; file: PackageFile } | null {
  const lowerId = idSegment(params.lowerId);
  const segment = versionSegment(params.version);
  if (lowerId === null || segment === null) return null;
  const parsed = parseVersion(segment);
  if (parsed === null) return null;
  const version = lowerVersion(parsed);
  const name = lower(params.file);
  const file = PACKAGE_FILES.find((kind) =>
    [version, segment].some((spelling) => name === packageFileName[kind](lowerId, spelling)),
  );
  return file ? { lowerId, lowerVersion: version, file } : null;
}

/** Page numbers and seqs as the feed writes them: decimal, no leading zeros, so each has one URL (§7). */
function counter(text: string | undefined): number | null {
  if (text === undefined || !/^(0|[1-9][0-9]{0,14})$/.test(text)) return null;
  return Number(text);
}

export function parseCatalogPage(params: RouteParams<typeof routes.catalogPage>): number | null {
  return counter(params.page);
}

/**
 * A leaf's seq and file name, as given: the name must equal catalogLeafFile of the item exactly,
 * so one longer than any id and version with their separators names none.
 */
export function parseCatalogLeaf(params: RouteParams<typeof routes.catalogLeaf>): { seq: number; file: string } | null {
  const seq = counter(params.seq);
  const file = params.file ?? '';
  const longest = catalogLeafFile('x'.repeat(MAX_PACKAGE_ID_LENGTH), 'x'.repeat(MAX_VERSION_SEGMENT_LENGTH)).length;
  return seq === null || file.length > longest ? null : { seq, file };
}

export function parseVulnerabilityPage(params: RouteParams<typeof routes.vulnerabilityPage>): string {
  return params.name ?? '';
}

/**
 * The web pages' id and version as the client filled them in (§8.3), percent-decoded. A bad
 * encoding is a 400; an id or version longer than any stored one is a 404 (nothing is there).
 */
export function parsePackageDetails(
  params: RouteParams<typeof routes.packageDetails>,
): { id: string; version: string } | Failure {
  let named: { id: string; version: string };
  try {
    named = { id: decodeURIComponent(params.id ?? ''), version: decodeURIComponent(params.version ?? '') };
  } catch {
    return fail('badRequest', 'The package address is not valid URL encoding.');
  }
  const fits = named.id.length <= MAX_PACKAGE_ID_LENGTH && named.version.length <= MAX_VERSION_SEGMENT_LENGTH;
  return fits ? named : fail('notFound', 'No package with so long an id or version is on this feed.');
}

/** `/packages/{id}`: the id alone, read as the version page reads it. */
export function parsePackagePage(params: RouteParams<typeof routes.packagePage>): { id: string } | Failure {
  const named = parsePackageDetails({ id: params.id, version: '' });
  return isFailure(named) ? named : { id: named.id };
}

/** Longer search text than this is cut: search reads at most MAX_TERMS terms anyway (src/nuget/searchQuery.ts). */
const MAX_GALLERY_QUERY = 500;
const MAX_GALLERY_PAGE = 1000;

/**
 * The gallery's search page query (`/packages?q=&prerelease=&packageType=&page=`). Like the API
 * (§5.1), garbage never fails it: a bad page number is page 1. Prerelease versions are shown
 * unless `prerelease=false`, as on nuget.org.
 */
export function parseGallerySearch(params: URLSearchParams): SearchState {
  const page = counter(params.get('page') ?? undefined) ?? 1;
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_GALLERY_QUERY),
    prerelease: (params.get('prerelease') ?? '').trim().toLowerCase() !== 'false',
    packageType: (params.get('packageType') ?? '').trim().slice(0, MAX_PACKAGE_ID_LENGTH),
    page: Math.min(Math.max(page, 1), MAX_GALLERY_PAGE),
  };
}

/**
 * An SSQP key (src/nuget/ssqp.ts), its file names percent-decoded; null when it names nothing
 * this symbol server could hold, which the route answers 404 like any miss.
 */
export function parseSymbolFile(params: RouteParams<typeof routes.symbolFile>): SymbolKey | null {
  try {
    const [file, file2] = [params.file, params.file2].map((name) => decodeURIComponent(name ?? ''));
    return parseSymbolKey(file ?? '', params.key ?? '', file2 ?? '');
  } catch {
    return null;
  }
}
