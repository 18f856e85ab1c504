/**
 * Version ranges (protocol §9.4): parsing, the normalized form the catalog and registration store,
 * Satisfies, and the SemVer 2 facts search filtering needs (§9.5).
 */
import { type FloatRange, floatRangeToString, parseFloatRange } from './floatRange';
import {
  type NuGetVersion,
  compareVersions,
  isBlank,
  isSemVer2Version,
  normalizedVersion,
  parseVersion,
  trimWhiteSpace,
} from './version';

export type { FloatBehavior, FloatRange } from './floatRange';
export { floatRangeToString, parseFloatRange } from './floatRange';

export interface VersionRange {
  minVersion: NuGetVersion | null;
  /** False whenever there is no lower bound, whatever bracket the text used. */
  isMinInclusive: boolean;
  maxVersion: NuGetVersion | null;
  isMaxInclusive: boolean;
  /** Set only when the lower bound was written with a '*'. */
  float: FloatRange | null;
  /** The text as given, untrimmed. */
  originalString: string;
}

interface Bound {
  version: NuGetVersion | null;
  float: FloatRange | null;
}

/**
 * A bound as NuGet reads it: untrimmed (the version parser trims, and keeps the text minus spaces
 * as the original string), empty when blank, and floating only when it holds a '*'. A float is
 * read as written, so "[ 1.* , 2.0]" does not parse: the '*' is not last.
 */
function parseBound(text: string | null, allowFloating: boolean): Bound | null {
  if (text === null || isBlank(text)) return { version: null, float: null };
  if (allowFloating && text.includes('*')) {
    const float = parseFloatRange(text);
    return float === null ? null : { version: float.minVersion, float };
  }
  const version = parseVersion(text);
  return version === null ? null : { version, float: null };
}

interface Interval {
  isMinInclusive: boolean;
  isMaxInclusive: boolean;
  min: string;
  max: string | null;
}

/** The brackets and bound texts of "[a, b)", "[a]" or a bare "a"; null when malformed. */
function splitInterval(trimmed: string): Interval | null {
  const open = trimmed[0];
  if (open !== '[' && open !== '(') return { isMinInclusive: true, isMaxInclusive: false, min: trimmed, max: null };
  const close = trimmed[trimmed.length - 1];
  if (trimmed.length < 2 || (close !== ']' && close !== ')')) return null;
  const parts = trimmed.slice(1, -1).split(',');
  // "(,)" is rejected while "(, )" means any version: NuGet only refuses all-empty parts.
  if (parts.length > 2 || parts.every((part) => part === '')) return null;
  const isMinInclusive = open === '[';
  const isMaxInclusive = close === ']';
  const [min = '', max] = parts;
  // "[1.0]" is an exact version; "(1.0)" and mixed brackets mean nothing.
  if (max !== undefined) return { isMinInclusive, isMaxInclusive, min, max };
  return isMinInclusive && isMaxInclusive ? { isMinInclusive, isMaxInclusive, min, max: min } : null;
}

function range(
  min: Bound,
  isMinInclusive: boolean,
  max: NuGetVersion | null,
  isMaxInclusive: boolean,
  text: string,
): VersionRange {
  return {
    minVersion: min.version,
    isMinInclusive: min.version !== null && isMinInclusive,
    maxVersion: max,
    isMaxInclusive: max !== null && isMaxInclusive,
    float: min.float,
    originalString: text,
  };
}

/**
 * VersionRange.TryParse. A bare version means "at least" (§9.4); "[x]" means exactly x; an
 * interval needs both brackets and one comma, and only its lower bound may float.
 */
export function parseRange(text: string, options: { allowFloating?: boolean } = {}): VersionRange | null {
  const allowFloating = options.allowFloating ?? true;
  const trimmed = trimWhiteSpace(text);
  if (trimmed === '') return null;
  // "*" is NuGet's one-character range: its lower bound is a fresh 0.0.0 (the float's own prints "0.0").
  if (allowFloating && trimmed === '*') {
    return range({ version: parseVersion('0.0.0'), float: parseFloatRange('*') }, true, null, false, text);
  }
  const interval = splitInterval(trimmed);
  if (interval === null) return null;
  const { isMinInclusive, isMaxInclusive } = interval;
  const min = parseBound(interval.min, allowFloating);
  const max = parseBound(interval.max, false);
  if (min === null || max === null) return null;
  if (min.version !== null && max.version !== null) {
    const order = compareVersions(min.version, max.version);
    if (order > 0 || (order === 0 && isMinInclusive !== isMaxInclusive)) return null;
  }
  return range(min, isMinInclusive, max.version, isMaxInclusive, text);
}

function lowerText(r: VersionRange): string {
  if (r.float !== null) return floatRangeToString(r.float);
  return r.minVersion === null ? '' : normalizedVersion(r.minVersion);
}

function bracketed(r: VersionRange, lower: string): string {
  const upper = r.maxVersion === null ? '' : normalizedVersion(r.maxVersion);
  return `${r.isMinInclusive ? '[' : '('}${lower}, ${upper}${r.isMaxInclusive ? ']' : ')'}`;
}

/** ToNormalizedString(): what the catalog and registration store as a dependency's range (§9.4). */
export function normalizedRange(r: VersionRange): string {
  return bracketed(r, lowerText(r));
}

/** ToLegacyString(): the normalized form with a float replaced by its lowest version. */
export function legacyRange(r: VersionRange): string {
  return bracketed(r, r.minVersion === null ? '' : normalizedVersion(r.minVersion));
}

function isExact(r: VersionRange): boolean {
  const { minVersion: min, maxVersion: max } = r;
  return min !== null && max !== null && r.isMinInclusive && r.isMaxInclusive && compareVersions(min, max) === 0;
}

/**
 * ToLegacyShortString() (and ToString("S") for ranges that do not float): "at least x" is the
 * bare version, an exact range is "[x]", anything else the legacy interval.
 */
export function shortRange(r: VersionRange): string {
  if (r.minVersion !== null && r.isMinInclusive && r.maxVersion === null) return normalizedVersion(r.minVersion);
  if (isExact(r) && r.minVersion !== null) return `[${normalizedVersion(r.minVersion)}]`;
  return legacyRange(r);
}

/** PrettyPrint(): "(>= 1.0.0 && < 2.0.0)", the form the client shows in messages. */
export function prettyPrintRange(r: VersionRange): string {
  if (isExact(r) && r.minVersion !== null) return `(= ${normalizedVersion(r.minVersion)})`;
  const conditions: string[] = [];
  if (r.minVersion !== null) conditions.push(`${r.isMinInclusive ? '>=' : '>'} ${normalizedVersion(r.minVersion)}`);
  if (r.maxVersion !== null) conditions.push(`${r.isMaxInclusive ? '<=' : '<'} ${normalizedVersion(r.maxVersion)}`);
  return conditions.length === 0 ? '' : `(${conditions.join(' && ')})`;
}

/** Satisfies(): bounds only, by the default comparer, so metadata never matters. */
export function rangeSatisfies(r: VersionRange, version: NuGetVersion): boolean {
  if (r.minVersion !== null) {
    const order = compareVersions(r.minVersion, version);
    if (order > 0 || (order === 0 && !r.isMinInclusive)) return false;
  }
  if (r.maxVersion !== null) {
    const order = compareVersions(version, r.maxVersion);
    if (order > 0 || (order === 0 && !r.isMaxInclusive)) return false;
  }
  return true;
}

function sameBound(a: NuGetVersion | null, b: NuGetVersion | null): boolean {
  return a === null || b === null ? a === b : compareVersions(a, b) === 0;
}

function sameFloat(a: FloatRange | null, b: FloatRange | null): boolean {
  if (a === null || b === null) return a === b;
  return a.floatBehavior === b.floatBehavior && compareVersions(a.minVersion, b.minVersion) === 0;
}

/** VersionRange.Equals: same bounds by version equality (metadata ignored) and the same float. */
export function rangesEqual(a: VersionRange, b: VersionRange): boolean {
  return (
    sameBound(a.minVersion, b.minVersion) &&
    a.isMinInclusive === b.isMinInclusive &&
    sameBound(a.maxVersion, b.maxVersion) &&
    a.isMaxInclusive === b.isMaxInclusive &&
    sameFloat(a.float, b.float)
  );
}

/**
 * §9.5: a dependency makes its package SemVer 2 when its range parses and either bound is
 * SemVer 2 (nuget.org's SemVerLevelKey). No range, or one that does not parse, does not.
 */
export function rangeMakesSemVer2(text: string | null): boolean {
  const r = text === null ? null : parseRange(text);
  if (r === null) return false;
  return [r.minVersion, r.maxVersion].some((bound) => bound !== null && isSemVer2Version(bound));
}

/** The semVerLevel query parameter shows SemVer 2 packages only when it is a version >= 2.0.0. */
export function includesSemVer2(semVerLevel: string | null): boolean {
  const level = semVerLevel === null ? null : parseVersion(semVerLevel);
  const semVer2 = parseVersion('2.0.0');
  return level !== null && semVer2 !== null && compareVersions(level, semVer2) >= 0;
}
