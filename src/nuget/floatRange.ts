/**
 * Floating lower bounds ("1.0.*", "1.0.0-beta*", "*-*"). Only project files may float; nuspec
 * dependencies may not (protocol §9.4), but ranges read from packages still have to parse.
 */
import { type NuGetVersion, normalizedVersion, parseVersion } from './version';

/** NuGet's FloatBehavior names: which part floats, and whether prereleases float with it. */
export type FloatBehavior =
  | 'None'
  | 'Prerelease'
  | 'Revision'
  | 'Patch'
  | 'Minor'
  | 'Major'
  | 'AbsoluteLatest'
  | 'PrereleaseRevision'
  | 'PrereleasePatch'
  | 'PrereleaseMinor'
  | 'PrereleaseMajor';

export interface FloatRange {
  floatBehavior: FloatBehavior;
  /** The lowest version the float can pick: the stars become 0 ("1.0.*-rc.*" starts at 1.0.0-rc.0). */
  minVersion: NuGetVersion;
  /** The release label text before its '*' ("rc." in "1.0.*-rc.*"), or null when labels do not float. */
  originalReleasePrefix: string | null;
}

/** Stars stand for the lowest value: "" and a trailing '.' are completed with "0". */
function lowestRelease(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? `${prefix}0` : prefix;
}

const NUMERIC_FLOAT: Record<number, FloatBehavior> = { 2: 'Minor', 3: 'Patch', 4: 'Revision' };
const PRERELEASE_FLOAT: Record<number, FloatBehavior> = {
  1: 'PrereleaseMajor',
  2: 'PrereleaseMinor',
  3: 'PrereleasePatch',
  4: 'PrereleaseRevision',
};

function floating(floatBehavior: FloatBehavior, min: string, prefix: string | null): FloatRange | null {
  const minVersion = parseVersion(min);
  return minVersion === null ? null : { floatBehavior, minVersion, originalReleasePrefix: prefix };
}

/** "1.0.*-rc*": the numeric part ends in the first star, and the label part ends in the second. */
function parseDoubleFloat(text: string, firstStar: number): FloatRange | null {
  const dash = text.indexOf('-');
  if (dash !== firstStar + 1 || !text.endsWith('*')) return null;
  const numbers = text.slice(0, firstStar);
  const prefix = text.slice(dash + 1, -1);
  const behavior = numbers === '' ? 'PrereleaseMajor' : PRERELEASE_FLOAT[`${numbers}0`.split('.').length];
  if (behavior === undefined) return null;
  const core = numbers === '' ? '0.0.0' : `${numbers}0`;
  return floating(behavior, `${core}-${lowestRelease(prefix)}`, prefix);
}

/** FloatRange.TryParse. */
export function parseFloatRange(text: string): FloatRange | null {
  if (text === '*') return floating('Major', '0.0.0', null);
  if (text === '*-*') return floating('AbsoluteLatest', '0.0.0-0', '');
  const firstStar = text.indexOf('*');
  if (firstStar < 0) {
    const version = parseVersion(text);
    return version === null ? null : { floatBehavior: 'None', minVersion: version, originalReleasePrefix: null };
  }
  // Metadata never floats, and a star anywhere but at the end of a part is not a float.
  if (text.includes('+')) return null;
  if (firstStar !== text.lastIndexOf('*')) return parseDoubleFloat(text, firstStar);
  if (firstStar !== text.length - 1) return null;
  const head = text.slice(0, -1);
  const dash = head.indexOf('-');
  if (dash >= 0) {
    const prefix = head.slice(dash + 1);
    return floating('Prerelease', `${head.slice(0, dash)}-${lowestRelease(prefix)}`, prefix);
  }
  const behavior = NUMERIC_FLOAT[`${head}0`.split('.').length];
  return behavior === undefined ? null : floating(behavior, `${head}0`, null);
}

/** The numeric parts up to the floating one. */
function fixedParts(v: NuGetVersion, count: number): string {
  return [v.major, v.minor, v.patch].slice(0, count).join('.');
}

function numericCore(v: NuGetVersion): string {
  return normalizedVersion({ ...v, releaseLabels: [], metadata: null });
}

/** FloatRange.ToString(): how the float appears in a normalized range ("[1.0.*, )"). */
export function floatRangeToString(f: FloatRange): string {
  const v = f.minVersion;
  const prefix = f.originalReleasePrefix ?? '';
  switch (f.floatBehavior) {
    case 'None':
      return normalizedVersion(v);
    case 'Prerelease':
      return `${numericCore(v)}-${prefix}*`;
    case 'Revision':
      return `${fixedParts(v, 3)}.*`;
    case 'Patch':
      return `${fixedParts(v, 2)}.*`;
    case 'Minor':
      return `${fixedParts(v, 1)}.*`;
    case 'Major':
      return '*';
    case 'AbsoluteLatest':
      return '*-*';
    case 'PrereleaseRevision':
      return `${fixedParts(v, 3)}.*-${prefix}*`;
    case 'PrereleasePatch':
      return `${fixedParts(v, 2)}.*-${prefix}*`;
    case 'PrereleaseMinor':
      return `${fixedParts(v, 1)}.*-${prefix}*`;
    case 'PrereleaseMajor':
      return `*-${prefix}*`;
  }
}
