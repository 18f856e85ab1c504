/**
 * The parse helpers of the URL shapes in src/links.ts: what the parameters itty-router matched
 * for a route name, read back into ids, versions and files. Pure; a null is a URL of the right
 * shape that names nothing the feed serves.
 */
import { type NuGetVersion, lowerVersion, parseVersion } from './nuget/version';
import {
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

/** The id of a version list (§3.2). */
export function parseVersionsIndex(params: RouteParams<typeof routes.versionsIndex>): { lowerId: string } {
  return { lowerId: lower(params.lowerId) };
}

/** A registration document as requested: its id, and its name inside the id's folder (for messages). */
export interface RegistrationRequest {
  lowerId: string;
  document: string;
}

export function parseRegistrationIndex(params: RouteParams<HiveRoutes['index']>): RegistrationRequest {
  return { lowerId: lower(params.lowerId), document: hiveDocuments.index };
}

/** A page's bounds are lowercased versions, as the feed writes them (§4.3). */
export function parseRegistrationPage(
  params: RouteParams<HiveRoutes['page']>,
): RegistrationRequest & { lower: string; upper: string } {
  const bounds = { lower: lower(params.lower), upper: lower(params.upper) };
  return { lowerId: lower(params.lowerId), ...bounds, document: fill(hiveDocuments.page, bounds) };
}

/** A leaf's version (§4.9), in any form that parses; null when it is no version. */
export function parseRegistrationLeaf(
  params: RouteParams<HiveRoutes['leaf']>,
): RegistrationRequest & { version: NuGetVersion | null } {
  const segment = lower(params.version);
  const document = fill(hiveDocuments.leaf, { version: segment });
  return { lowerId: lower(params.lowerId), version: parseVersion(segment), document };
}

/**
 * The file a flat-container URL names, with its version's identity; null when it names none.
 * The version segment may be non-canonical (§3.1), and a .nupkg name may repeat it as given or
 * normalized.
 */
export function parsePackageFile(
  params: RouteParams<typeof routes.packageFile>,
): { lowerId: string; lowerVersion: string; file: PackageFile } | null {
  const lowerId = lower(params.lowerId);
  const segment = lower(params.version);
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

/** A leaf's seq and file name, as given: the name must equal catalogLeafFile of the item exactly. */
export function parseCatalogLeaf(params: RouteParams<typeof routes.catalogLeaf>): { seq: number; file: string } | null {
  const seq = counter(params.seq);
  return seq === null ? null : { seq, file: params.file ?? '' };
}

export function parseVulnerabilityPage(params: RouteParams<typeof routes.vulnerabilityPage>): string {
  return params.name ?? '';
}

/** The web pages' id and version as the client filled them in (§8.3): percent-decoded; null if not validly encoded. */
export function parsePackageDetails(
  params: RouteParams<typeof routes.packageDetails>,
): { id: string; version: string } | null {
  try {
    return params.id === undefined || params.version === undefined
      ? null
      : { id: decodeURIComponent(params.id), version: decodeURIComponent(params.version) };
  } catch {
    return null;
  }
}
