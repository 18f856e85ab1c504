/**
 * Floating lower bounds ("1.0.*", "1.0.0-beta*", "*-*"). Only project files may float; nuspec
 * dependencies may not (protocol §9.4), but ranges read from packages still have to parse.
 */
import { type NuGetVersion, isBlank, normalizedVersion, parseVersion } from './version';

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
  /**
   * The release label text before its '*' ("rc." in "1.0.*-rc.*"). When the text gives none, NuGet
   * falls back to the min version's labels, so it is null only for a stable min without a label float.
   */
  originalReleasePrefix: string | null;
}

/** Stars stand for the lowest value: "" and a trailing '.' are completed with "0". */
function lowestRelease(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? `${prefix}0` : prefix;
}

/** The numeric parts of a core as NuGet counts them: one more than its dots. */
function partCount(core: string): number {
  return core.split('.').length;
}

const NUMERIC_FLOAT: Record<number, FloatBehavior> = { 2: 'Minor', 3: 'Patch', 4: 'Revision' };
const PRERELEASE_FLOAT: Record<number, FloatBehavior> = {
  1: 'PrereleaseMajor',
  2: 'PrereleaseMinor',
  3: 'PrereleasePatch',
  4: 'PrereleaseRevision',
};

/** A prefix left null falls back to the version's own labels, as NuGet's FloatRange does. */
function floating(floatBehavior: FloatBehavior, min: string, prefix: string | null): FloatRange | null {
  const minVersion = parseVersion(min);
  if (minVersion === null) return null;
  const release = minVersion.releaseLabels.length > 0 ? minVersion.releaseLabels.join('.') : null;
  return { floatBehavior, minVersion, originalReleasePrefix: prefix ?? release };
}

/**
 * "1.0.*-rc*": two stars, the first right before the first '-' and the last at the end. The star
 * stands for "0" ("*-rc*" starts at "0-rc"); a core of more than four parts floats nothing.
 */
function parseDoubleFloat(text: string, firstStar: number): FloatRange | null {
  const dash = text.indexOf('-');
  if (dash < 0 || firstStar !== dash - 1 || !text.endsWith('*')) return null;
  const core = `${text.slice(0, firstStar)}0`;
  const prefix = text.slice(dash + 1, -1);
  return floating(PRERELEASE_FLOAT[partCount(core)] ?? 'None', `${core}-${lowestRelease(prefix)}`, prefix);
}

/**
 * One star, at the end: "1.0.*" floats a numeric part ("1*" is read as "10" and floats nothing);
 * "1.0.0-rc*" floats the label. With more than one '-', the text before the star must be a version.
 */
function parseSingleFloat(text: string): FloatRange | null {
  const head = text.slice(0, -1);
  if (!text.includes('-')) return floating(NUMERIC_FLOAT[partCount(`${head}0`)] ?? 'None', `${head}0`, null);
  const dash = text.indexOf('-');
  if (dash !== text.lastIndexOf('-')) return floating('Prerelease', head, null);
  const prefix = head.slice(dash + 1);
  return floating('Prerelease', `${head.slice(0, dash + 1)}${lowestRelease(prefix)}`, prefix);
}

/** FloatRange.TryParse: read as written, untrimmed. */
export function parseFloatRange(text: string): FloatRange | null {
  if (isBlank(text)) return null;
  // NuGet builds this one from System.Version 0.0, so its ToString() is "0.0".
  if (text === '*') return floating('Major', '0.0', null);
  if (text === '*-*') return floating('AbsoluteLatest', '0.0.0-0', '');
  const firstStar = text.indexOf('*');
  // Metadata never floats; a single star must be last. Anything else has to be a plain version.
  const floats = firstStar >= 0 && !text.includes('+');
  if (floats && firstStar !== text.lastIndexOf('*')) return parseDoubleFloat(text, firstStar);
  if (floats && firstStar === text.length - 1) return parseSingleFloat(text);
  return floating('None', text, null);
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
