import { describe, expect, it } from 'vitest';
import semver2 from '../fixtures/conformance/semver2.json';
import { includesSemVer2, rangeMakesSemVer2 } from '../../src/nuget/range';
import { isSemVer2Version, parseVersion } from '../../src/nuget/version';

describe('package versions (SemVerLevelKey.ForPackage)', () => {
  it.each(semver2.packageVersions.map((v) => [v.version, v.isSemVer2]))('%j isSemVer2=%s', (text, expected) => {
    const v = parseVersion(text);
    expect(v).not.toBeNull();
    expect(isSemVer2Version(v!)).toBe(expected);
  });
});

describe('dependency ranges (§9.5: a SemVer 2 bound makes the package SemVer 2)', () => {
  it.each(semver2.dependencyRanges.map((d) => [d.range, d.makesPackageSemVer2]))('%j -> %s', (range, expected) => {
    expect(rangeMakesSemVer2(range)).toBe(expected);
  });

  it('ignores ranges that do not parse', () => {
    expect(rangeMakesSemVer2('not a range')).toBe(false);
  });
});

describe('semVerLevel parameter', () => {
  it.each(semver2.semVerLevelParameter.map((p) => [p.semVerLevel, p.includesSemVer2Packages]))(
    '%j includes SemVer 2 packages: %s',
    (level, expected) => {
      expect(includesSemVer2(level)).toBe(expected);
    },
  );

  // includesNonSemVer2Packages is asserted true for every value: SemVer 1 packages are always
  // visible, so there is no function for it and nothing level-dependent to test.
  it('asserts nothing but "always" for SemVer 1 packages', () => {
    const asserted = semver2.semVerLevelParameter.flatMap((p) =>
      'includesNonSemVer2Packages' in p ? [p.includesNonSemVer2Packages] : [],
    );
    expect(asserted.length).toBeGreaterThan(0);
    expect(asserted.every((value) => value === true)).toBe(true);
  });
});
