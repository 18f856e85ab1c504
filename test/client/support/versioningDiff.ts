/**
 * EdgeGet's answer for every oracle field, and the list of fields where the two disagree
 * ("range \"[1.0,\" normalized: nuget=… edgeget=…").
 */
import {
  floatRangeToString,
  legacyRange,
  normalizedRange,
  parseFloatRange,
  parseRange,
  prettyPrintRange,
  rangeSatisfies,
  shortRange,
} from '../../../src/nuget/range';
import {
  type NuGetVersion,
  compareVersions,
  fullVersion,
  isPrerelease,
  isSemVer2Version,
  normalizedVersion,
  parseStrictVersion,
  parseVersion,
  versionToString,
} from '../../../src/nuget/version';
import type { OracleInput, OracleOutput, OracleRange, OracleVersion } from './versioningOracle';

function edgeVersion(input: string): OracleVersion {
  const v = parseVersion(input);
  const strict = parseStrictVersion(input);
  const strictText = strict === null ? null : normalizedVersion(strict);
  return {
    input,
    parsed:
      v === null
        ? null
        : {
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            revision: v.revision,
            release: v.releaseLabels.join('.'),
            metadata: v.metadata ?? '',
            originalVersion: v.originalVersion,
            normalized: normalizedVersion(v),
            full: fullVersion(v),
            toString: versionToString(v),
            isPrerelease: isPrerelease(v),
            isSemVer2: isSemVer2Version(v),
          },
    strict: strictText,
    strictSemVer: strictText,
  };
}

function edgeRange(input: string, probes: NuGetVersion[]): OracleRange {
  const r = parseRange(input);
  const fixed = parseRange(input, { allowFloating: false });
  const float = parseFloatRange(input);
  const behavior = r?.float?.floatBehavior;
  return {
    input,
    parsed:
      r === null
        ? null
        : {
            normalized: normalizedRange(r),
            toString: normalizedRange(r),
            prettyPrint: prettyPrintRange(r),
            legacy: legacyRange(r),
            legacyShort: shortRange(r),
            originalString: r.originalString,
            minToString: r.minVersion === null ? null : versionToString(r.minVersion),
            maxToString: r.maxVersion === null ? null : versionToString(r.maxVersion),
            isMinInclusive: r.isMinInclusive,
            isMaxInclusive: r.isMaxInclusive,
            floatBehavior: behavior === undefined || behavior === 'None' ? null : behavior,
            satisfies: probes.map((p) => (rangeSatisfies(r, p) ? '1' : '0')).join(''),
          },
    noFloat: fixed === null || fixed.float !== null ? null : normalizedRange(fixed),
    floatRange:
      float === null
        ? null
        : `${float.floatBehavior} ${floatRangeToString(float)} ${normalizedVersion(float.minVersion)}`,
  };
}

function edgeCompare(a: string, b: string): number | null {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x === null || y === null ? null : compareVersions(x, y);
}

/** JSON with everything outside printable ASCII escaped, so BOMs, NELs and NBSPs show up. */
export function show(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined';
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Which probes a Satisfies string says yes to, for a readable diff of two such strings. */
function satisfied(bits: unknown, probes: readonly string[]): string {
  return typeof bits === 'string' ? show(probes.filter((_, i) => bits[i] === '1')) : show(bits);
}

/** Every field, including whole sub-objects when only one side parsed. */
function diffFields(
  kind: string,
  input: string,
  nuget: object,
  edge: object,
  probes: readonly string[],
  out: string[],
): void {
  const expected = nuget as Record<string, unknown>;
  const actual = edge as Record<string, unknown>;
  for (const key of Object.keys(expected)) {
    const a = expected[key];
    const b = actual[key];
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      diffFields(kind, input, a, b, probes, out);
    } else if (key === 'satisfies' && a !== b) {
      out.push(`${kind} ${show(input)} satisfied by: nuget=${satisfied(a, probes)} edgeget=${satisfied(b, probes)}`);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push(`${kind} ${show(input)} ${key}: nuget=${show(a)} edgeget=${show(b)}`);
    }
  }
}

export interface Disagreements {
  versions: string[];
  pairs: string[];
  ranges: string[];
}

export function disagreements(input: OracleInput, nuget: OracleOutput): Disagreements {
  const probes = input.probes.map((text) => {
    const v = parseVersion(text);
    if (v === null) throw new Error(`probe ${JSON.stringify(text)} does not parse in EdgeGet`);
    return v;
  });
  const result: Disagreements = { versions: [], pairs: [], ranges: [] };
  nuget.versions.forEach((expected, i) => {
    const text = input.versions[i] ?? '';
    diffFields('version', text, expected, edgeVersion(text), input.probes, result.versions);
  });
  nuget.pairs.forEach((expected, i) => {
    const [a, b] = input.pairs[i] ?? ['', ''];
    const actual = edgeCompare(a, b);
    if (expected !== actual) {
      result.pairs.push(`compare ${show(a)} ${show(b)}: nuget=${expected} edgeget=${actual}`);
    }
  });
  nuget.ranges.forEach((expected, i) => {
    const text = input.ranges[i] ?? '';
    diffFields('range', text, expected, edgeRange(text, probes), input.probes, result.ranges);
  });
  return result;
}

/** The first `limit` lines and how many more there were, for the assertion message. */
export function summarize(lines: string[], limit = 30): string {
  const shown = lines.slice(0, limit).join('\n');
  return lines.length > limit ? `${shown}\n… and ${lines.length - limit} more` : shown;
}
