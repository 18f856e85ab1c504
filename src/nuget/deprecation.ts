/**
 * Deprecation of package versions (protocol §4.6): what registration's `catalogEntry.deprecation`
 * carries, and the admin request that sets it. The client shows the reasons, the message and
 * the alternative in `dotnet list package --deprecated`, Visual Studio and the gallery.
 */
import { fail, type Failure } from '../problems';
import { isValidPackageId } from './packageId';
import { normalizedRange, parseRange } from './range';
import { parseVersionSelection, type VersionSelection } from './versionSelection';

/** The reasons NuGet knows; the client reads any other as Other. */
export const DEPRECATION_REASONS = ['Legacy', 'CriticalBugs', 'Other'] as const;
export type DeprecationReason = (typeof DEPRECATION_REASONS)[number];

export interface AlternatePackage {
  id: string;
  /** A NuGet range as text; "*" means any version (§4.6: a string, not an object). */
  range: string;
}

export interface Deprecation {
  reasons: DeprecationReason[];
  message?: string;
  alternatePackage?: AlternatePackage;
}

/** The CLI's spellings (`--reason legacy|critical-bugs|other`) and the protocol's, case-insensitively. */
const REASON_NAMES: Record<string, DeprecationReason> = {
  legacy: 'Legacy',
  criticalbugs: 'CriticalBugs',
  'critical-bugs': 'CriticalBugs',
  other: 'Other',
};

/** nuget.org caps the custom message at 4,000 characters. */
export const MAX_DEPRECATION_MESSAGE = 4000;

export interface DeprecationChange {
  id: string;
  versions: VersionSelection;
  /** null: undeprecate. */
  deprecation: Deprecation | null;
}

function parseReasons(value: unknown): DeprecationReason[] | Failure {
  const given = typeof value === 'string' ? [value] : value;
  const problem = fail('badRequest', 'reasons must list one or more of legacy, critical-bugs, other.');
  if (!Array.isArray(given) || given.length === 0) return problem;
  const reasons = new Set<DeprecationReason>();
  for (const name of given) {
    const reason = typeof name === 'string' ? REASON_NAMES[name.toLowerCase()] : undefined;
    if (!reason)
      return fail('badRequest', `Unknown deprecation reason '${String(name)}': use legacy, critical-bugs or other.`);
    reasons.add(reason);
  }
  return DEPRECATION_REASONS.filter((reason) => reasons.has(reason));
}

function parseAlternate(value: unknown): AlternatePackage | undefined | Failure {
  if (value === undefined || value === null) return undefined;
  const { id, range = '*' } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !isValidPackageId(id)) {
    return fail('badRequest', 'alternatePackage.id must be a valid package id.');
  }
  if (typeof range !== 'string') return fail('badRequest', 'alternatePackage.range must be a version range.');
  if (range.trim() === '*' || range.trim() === '') return { id, range: '*' };
  const parsed = parseRange(range, { allowFloating: false });
  if (!parsed) return fail('badRequest', `'${range}' is not a NuGet version range (e.g. [2.0.0, ) or 2.0.0).`);
  return { id, range: normalizedRange(parsed) };
}

/** The body of POST /admin/deprecations: `{ id, versions, reasons, message?, alternatePackage? }`. */
export function parseDeprecationRequest(body: unknown): DeprecationChange | Failure {
  if (typeof body !== 'object' || body === null) return fail('badRequest', 'Expected a JSON object.');
  const { id, versions, reasons, message, alternatePackage } = body as Record<string, unknown>;
  const target = parseTarget(id, versions);
  if ('failure' in target) return target;
  const parsedReasons = parseReasons(reasons);
  if ('failure' in parsedReasons) return parsedReasons;
  if (message !== undefined && (typeof message !== 'string' || message.length > MAX_DEPRECATION_MESSAGE)) {
    return fail('badRequest', `message must be text of at most ${MAX_DEPRECATION_MESSAGE} characters.`);
  }
  const alternate = parseAlternate(alternatePackage);
  if (alternate && 'failure' in alternate) return alternate;
  const deprecation: Deprecation = { reasons: parsedReasons };
  if (message) deprecation.message = message;
  if (alternate) deprecation.alternatePackage = alternate;
  return { ...target, deprecation };
}

/** The id and versions a deprecation or undeprecation names. */
export function parseTarget(id: unknown, versions: unknown): { id: string; versions: VersionSelection } | Failure {
  if (typeof id !== 'string' || !isValidPackageId(id)) return fail('badRequest', 'id must be a valid package id.');
  if (typeof versions !== 'string') return fail('badRequest', 'versions must be a version or a version range.');
  const selection = parseVersionSelection(versions);
  if (!selection) {
    return fail('badRequest', `'${versions}' is not a NuGet version or range (e.g. 1.2.0, [1.0.0, 2.0.0) or *).`);
  }
  return { id, versions: selection };
}

/** Two deprecations say the same (the stored JSON is compared as built here, fields in one order). */
export function deprecationText(deprecation: Deprecation | null): string | null {
  if (!deprecation) return null;
  const { reasons, message, alternatePackage } = deprecation;
  return JSON.stringify({ reasons, message, alternatePackage });
}
