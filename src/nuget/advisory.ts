/**
 * Vulnerability advisories of an id: the admin request that records one, and which advisories a
 * version is affected by. Registration (§4.6) and search (§5.3) carry, per version, each advisory
 * whose range it satisfies; VulnerabilityInfo (vulnerabilities.ts, §8.1) carries the ranges.
 */
import { fail, type Failure } from '../problems';
import { isValidPackageId } from './packageId';
import { parseRange, rangeSatisfies } from './range';
import { parseVersion } from './version';
import { parseVersionSelection, type VersionSelection } from './versionSelection';
import type { Advisory, Severity } from './vulnerabilities';

/** Severity 0-3 by name, as GitHub's advisory database and the CLI spell them. */
export const SEVERITY_NAMES = ['low', 'moderate', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** Advisory URLs end up in every client's warning text: keep them plain and bounded. */
const MAX_URL_LENGTH = 2000;

export function severityOf(name: unknown): Severity | null {
  const index = typeof name === 'string' ? SEVERITY_NAMES.indexOf(name.toLowerCase() as SeverityName) : -1;
  return index < 0 ? null : (index as Severity);
}

/** An absolute http(s) URL of at most 2,000 characters, as the client opens it. */
export function isAdvisoryUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || /\s/.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

export interface AdvisoryChange {
  id: string;
  url: string;
  severity: Severity;
  versions: VersionSelection;
}

/** The body of PUT /admin/advisories: `{ id, versions, severity, url }`. */
export function parseAdvisoryRequest(body: unknown): AdvisoryChange | Failure {
  if (typeof body !== 'object' || body === null) return fail('badRequest', 'Expected a JSON object.');
  const { id, versions, severity, url } = body as Record<string, unknown>;
  if (typeof id !== 'string' || !isValidPackageId(id)) return fail('badRequest', 'id must be a valid package id.');
  const selection = typeof versions === 'string' ? parseVersionSelection(versions) : null;
  if (!selection) {
    return fail(
      'badRequest',
      `versions must be a NuGet version range, e.g. [1.0.0, 1.4.1) or 1.2.0 (got ${String(versions)}).`,
    );
  }
  const level = severityOf(severity);
  if (level === null) return fail('badRequest', `severity must be one of ${SEVERITY_NAMES.join(', ')}.`);
  if (!isAdvisoryUrl(url)) return fail('badRequest', 'advisory must be an absolute http(s) URL of the advisory.');
  return { id, url, severity: level, versions: selection };
}

/**
 * The advisories `version` (a full version string) satisfies, one per URL (its most severe
 * range when several match), in URL order so documents built twice are equal.
 */
export function advisoriesAffecting(version: string, advisories: readonly Advisory[]): Advisory[] {
  const parsed = parseVersion(version);
  if (!parsed) return [];
  const byUrl = new Map<string, Advisory>();
  for (const advisory of advisories) {
    const range = parseRange(advisory.versions, { allowFloating: false });
    if (!range || !rangeSatisfies(range, parsed)) continue;
    const known = byUrl.get(advisory.url);
    if (!known || known.severity < advisory.severity) byUrl.set(advisory.url, advisory);
  }
  return [...byUrl.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** Registration's flavour (§4.6): severity is a string there. */
export function registrationVulnerabilities(version: string, advisories: readonly Advisory[]) {
  return advisoriesAffecting(version, advisories).map((a) => ({ advisoryUrl: a.url, severity: String(a.severity) }));
}

/** Search's flavour (§5.3): severity is an integer there. */
export function searchVulnerabilities(version: string, advisories: readonly Advisory[]) {
  return advisoriesAffecting(version, advisories).map((a) => ({ advisoryUrl: a.url, severity: a.severity }));
}

export type AdvisoryOutcome = 'added' | 'changed' | 'removed' | 'unchanged';

/**
 * What making an advisory's stored ranges `wanted` does: the client sees a change only when a
 * range or the severity differs (where a range came from is not shown).
 */
export function advisoryOutcome(
  stored: readonly Pick<Advisory, 'versions' | 'severity'>[],
  wanted: { versions: readonly string[]; severity: Severity },
): AdvisoryOutcome {
  if (wanted.versions.length === 0) return stored.length === 0 ? 'unchanged' : 'removed';
  if (stored.length === 0) return 'added';
  const same =
    stored.length === new Set(wanted.versions).size &&
    stored.every((row) => row.severity === wanted.severity && wanted.versions.includes(row.versions));
  return same ? 'unchanged' : 'changed';
}
