import { describe, expect, it } from 'vitest';
import ranges from '../fixtures/conformance/ranges.json';
import {
  type VersionRange,
  floatRangeToString,
  legacyRange,
  normalizedRange,
  parseFloatRange,
  parseRange,
  prettyPrintRange,
  rangeSatisfies,
  rangesEqual,
  shortRange,
} from '../../src/nuget/range';
import {
  type NuGetVersion,
  compareVersions,
  isPrerelease,
  normalizedVersion,
  parseVersion,
  versionToString,
} from '../../src/nuget/version';

interface RangeVector {
  input: string;
  normalized?: string;
  normalizedEqualsInput?: boolean;
  normalizedRoundTrips?: boolean;
  minVersion?: string | null;
  isMinInclusive?: boolean;
  maxVersion?: string | null;
  isMaxInclusive?: boolean;
  minVersionToString?: string;
  maxVersionToString?: string;
  minVersionIsPrerelease?: boolean;
  satisfies?: string[];
  notSatisfies?: string[];
  prettyPrint?: string;
  legacyString?: string;
  legacyShortString?: string;
  formatS?: string;
  originalString?: string;
  floatString?: string;
  floatBehavior?: string;
  floatMinVersion?: string;
  floatMinVersionRelease?: string;
  floatReleasePrefix?: string;
}

function version(text: string): NuGetVersion {
  const parsed = parseVersion(text);
  if (parsed === null) throw new Error(`'${text}' is not a version`);
  return parsed;
}

function range(text: string): VersionRange {
  const parsed = parseRange(text);
  if (parsed === null) throw new Error(`'${text}' is not a range`);
  return parsed;
}

/** Bounds compare by version equality, so "1.2" matches a bound parsed from "1.2.0". */
function expectBound(actual: NuGetVersion | null, expected: string | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
  } else {
    expect(actual).not.toBeNull();
    expect(compareVersions(actual!, version(expected))).toBe(0);
  }
}

describe('parseRange (VersionRange.TryParse)', () => {
  it.each((ranges.valid as RangeVector[]).map((v) => [v.input, v]))('%j', (_input, v) => {
    const r = range(v.input);
    if (v.normalized !== undefined) expect(normalizedRange(r)).toBe(v.normalized);
    if (v.normalizedEqualsInput === false) expect(normalizedRange(r)).not.toBe(v.input);
    if (v.normalizedRoundTrips) {
      const again = range(normalizedRange(r));
      expect(rangesEqual(again, r)).toBe(true);
      expect(normalizedRange(again)).toBe(normalizedRange(r));
    }
    if (v.minVersion !== undefined) expectBound(r.minVersion, v.minVersion);
    if (v.maxVersion !== undefined) expectBound(r.maxVersion, v.maxVersion);
    if (v.isMinInclusive !== undefined) expect(r.isMinInclusive).toBe(v.isMinInclusive);
    if (v.isMaxInclusive !== undefined) expect(r.isMaxInclusive).toBe(v.isMaxInclusive);
    if (v.minVersionToString !== undefined) expect(versionToString(r.minVersion!)).toBe(v.minVersionToString);
    if (v.maxVersionToString !== undefined) expect(versionToString(r.maxVersion!)).toBe(v.maxVersionToString);
    if (v.minVersionIsPrerelease !== undefined) expect(isPrerelease(r.minVersion!)).toBe(v.minVersionIsPrerelease);
    for (const text of v.satisfies ?? []) expect(rangeSatisfies(r, version(text)), text).toBe(true);
    for (const text of v.notSatisfies ?? []) expect(rangeSatisfies(r, version(text)), text).toBe(false);
    if (v.prettyPrint !== undefined) expect(prettyPrintRange(r)).toBe(v.prettyPrint);
    if (v.legacyString !== undefined) expect(legacyRange(r)).toBe(v.legacyString);
    // ToLegacyShortString and format "S" agree for ranges that do not float, which is all the vectors.
    if (v.legacyShortString !== undefined) expect(shortRange(r)).toBe(v.legacyShortString);
    if (v.formatS !== undefined) expect(shortRange(r)).toBe(v.formatS);
    if (v.originalString !== undefined) expect(r.originalString).toBe(v.originalString);
    if (v.floatString !== undefined) expect(floatRangeToString(r.float!)).toBe(v.floatString);
    if (v.floatBehavior !== undefined) expect(r.float?.floatBehavior).toBe(v.floatBehavior);
    if (v.floatMinVersion !== undefined) expect(normalizedVersion(r.float!.minVersion)).toBe(v.floatMinVersion);
    if (v.floatMinVersionRelease !== undefined) {
      expect(r.float!.minVersion.releaseLabels.join('.')).toBe(v.floatMinVersionRelease);
    }
    if (v.floatReleasePrefix !== undefined) expect(r.float?.originalReleasePrefix).toBe(v.floatReleasePrefix);
  });

  it.each(ranges.invalid.map((input) => [input]))('rejects %j', (input) => {
    expect(parseRange(input)).toBeNull();
  });

  it('rejects floats when floating is not allowed (nuspec dependencies, §9.4)', () => {
    expect(parseRange('1.0.*', { allowFloating: false })).toBeNull();
    expect(parseRange('[1.0.0-*, 2.0.0)', { allowFloating: false })).toBeNull();
    expect(normalizedRange(parseRange('[1.0, 2.0)', { allowFloating: false })!)).toBe('[1.0.0, 2.0.0)');
  });
});

describe('rangesEqual (VersionRange.Equals)', () => {
  it.each(ranges.equality.map((e) => [e.a, e.b, e.equal]))('%j vs %j equal=%s', (a, b, equal) => {
    expect(rangesEqual(range(a), range(b))).toBe(equal);
    expect(rangesEqual(range(b), range(a))).toBe(equal);
  });
});

describe('parseFloatRange (FloatRange.TryParse)', () => {
  const valid = ranges.floatRange.valid as { input: string; minVersion?: string; floatBehavior?: string }[];

  it.each(valid.map((v) => [v.input, v]))('%j', (_input, v) => {
    const f = parseFloatRange(v.input);
    expect(f).not.toBeNull();
    if (v.minVersion !== undefined) expect(normalizedVersion(f!.minVersion)).toBe(v.minVersion);
    if (v.floatBehavior !== undefined) expect(f!.floatBehavior).toBe(v.floatBehavior);
  });

  it.each(ranges.floatRange.invalid.map((input) => [input]))('rejects %j', (input) => {
    expect(parseFloatRange(input)).toBeNull();
  });
});

describe('normalized ranges as the catalog stores them (§9.4)', () => {
  it.each([
    ['1.0', '[1.0.0, )'],
    ['[1.0]', '[1.0.0, 1.0.0]'],
    ['(,2.0)', '(, 2.0.0)'],
    ['[1.3.2,1.5)', '[1.3.2, 1.5.0)'],
    ['1.0.0.0', '[1.0.0, )'],
    ['[, 2.0.0)', '(, 2.0.0)'],
  ])('%j is stored as %j', (input, stored) => {
    expect(normalizedRange(range(input))).toBe(stored);
  });
});

describe('agreement with NuGet.Versioning beyond the vectors', () => {
  it('parses each bound as written: a float bound is not trimmed', () => {
    expect(parseRange('[ 1.* , 2.0]')).toBeNull();
    expect(parseRange('[1.*, 2.0]')).not.toBeNull();
  });

  it("accepts '1*' as the plain version 10.0.0", () => {
    const range = parseRange('1*')!;
    expect(range.float?.floatBehavior).toBe('None');
    expect(range.minVersion && normalizedVersion(range.minVersion)).toBe('10.0.0');
  });
});
