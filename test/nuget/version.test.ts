import { describe, expect, it } from 'vitest';
import invalid from '../fixtures/conformance/versions-invalid.json';
import order from '../fixtures/conformance/versions-order.json';
import valid from '../fixtures/conformance/versions-valid.json';
import {
  type NuGetVersion,
  compareVersions,
  fullVersion,
  hasMetadata,
  isPrerelease,
  isSemVer2Version,
  lowerVersion,
  normalizedVersion,
  parseStrictVersion,
  parseVersion,
  versionToString,
} from '../../src/nuget/version';

interface ValidVector {
  input: string;
  normalized: string | null;
  isPrerelease: boolean | null;
  isSemVer2: boolean | null;
  validNuGetVersion?: boolean;
  validStrictSemVer?: boolean;
  fullString?: string;
  /** Read through ownToString: a plain `v.toString` would find Object.prototype's. */
  toString?: string;
  originalVersion?: string;
  release?: string;
  releaseLabels?: string[];
  metadata?: string;
  hasMetadata?: boolean;
  major?: number;
  minor?: number;
  patch?: number;
  revision?: number;
}

const vectors = valid as ValidVector[];
const strictOnly = vectors.filter((v) => v.validStrictSemVer === true && v.validNuGetVersion !== true);

function ownToString(v: ValidVector): string | undefined {
  return Object.hasOwn(v, 'toString') ? (Object.getOwnPropertyDescriptor(v, 'toString')?.value as string) : undefined;
}

/** The parser a vector was asserted with; strict-only strings come from SemanticVersion tests. */
function parseAsTested(v: ValidVector): NuGetVersion {
  const parsed = v.validNuGetVersion === true ? parseVersion(v.input) : parseStrictVersion(v.input);
  if (parsed === null) throw new Error(`'${v.input}' did not parse`);
  return parsed;
}

describe('parseVersion (NuGetVersion.TryParse)', () => {
  it.each(vectors.filter((v) => v.validNuGetVersion === true).map((v) => [v.input]))('accepts %j', (input) => {
    expect(parseVersion(input)).not.toBeNull();
  });

  // The reference strict parser accepts only what the lenient one also accepts.
  it.each(strictOnly.map((v) => [v.input]))('accepts the strict-only %j too', (input) => {
    expect(parseVersion(input)).not.toBeNull();
  });

  it.each(invalid.nugetVersion.map((input) => [input]))('rejects %j', (input) => {
    expect(parseVersion(input)).toBeNull();
  });
});

describe('parseStrictVersion (SemanticVersion.TryParse)', () => {
  it.each(vectors.filter((v) => v.validStrictSemVer === true).map((v) => [v.input]))('accepts %j', (input) => {
    expect(parseStrictVersion(input)).not.toBeNull();
  });

  it.each(vectors.filter((v) => v.validStrictSemVer === false).map((v) => [v.input]))(
    'rejects %j, which the lenient parser takes',
    (input) => {
      expect(parseStrictVersion(input)).toBeNull();
      expect(parseVersion(input)).not.toBeNull();
    },
  );

  it.each(invalid.strictSemVer.map((input) => [input]))('rejects %j', (input) => {
    expect(parseStrictVersion(input)).toBeNull();
  });
});

describe('version properties', () => {
  it.each(vectors.map((v) => [v.input, v]))('%j', (_input, v) => {
    const parsed = parseAsTested(v);
    if (v.normalized !== null) {
      expect(normalizedVersion(parsed)).toBe(v.normalized);
      expect(lowerVersion(parsed)).toBe(v.normalized.toLowerCase());
    }
    if (v.isPrerelease !== null) expect(isPrerelease(parsed)).toBe(v.isPrerelease);
    if (v.isSemVer2 !== null) expect(isSemVer2Version(parsed)).toBe(v.isSemVer2);
    if (v.fullString !== undefined) expect(fullVersion(parsed)).toBe(v.fullString);
    const expectedToString = ownToString(v);
    if (expectedToString !== undefined) expect(versionToString(parsed)).toBe(expectedToString);
    if (v.originalVersion !== undefined) expect(parsed.originalVersion).toBe(v.originalVersion);
    if (v.release !== undefined) expect(parsed.releaseLabels.join('.')).toBe(v.release);
    if (v.releaseLabels !== undefined) expect(parsed.releaseLabels).toEqual(v.releaseLabels);
    if (v.metadata !== undefined) expect(parsed.metadata ?? '').toBe(v.metadata);
    if (v.hasMetadata !== undefined) expect(hasMetadata(parsed)).toBe(v.hasMetadata);
    if (v.major !== undefined) expect(parsed.major).toBe(v.major);
    if (v.minor !== undefined) expect(parsed.minor).toBe(v.minor);
    if (v.patch !== undefined) expect(parsed.patch).toBe(v.patch);
    if (v.revision !== undefined) expect(parsed.revision).toBe(v.revision);
  });
});

describe('compareVersions (default comparer)', () => {
  /** Pairs the test built with SemanticVersion were parsed strictly; the rest leniently. */
  function parsePair(text: string, strict: boolean): NuGetVersion {
    const parsed = strict ? parseStrictVersion(text) : parseVersion(text);
    if (parsed === null) throw new Error(`'${text}' did not parse`);
    return parsed;
  }

  it.each(order.map((o) => [o.a, o.b, o]))('%j vs %j', (_a, _b, o) => {
    const note = 'note' in o ? String(o.note) : '';
    const a = parsePair(o.a, note.startsWith('both parsed strictly'));
    const b = parsePair(o.b, note.startsWith('both parsed strictly') || note.startsWith('a parsed as NuGetVersion'));
    const forward = compareVersions(a, b);
    const backward = compareVersions(b, a);
    expect(forward === 0).toBe(o.equal);
    expect(backward === 0).toBe(o.equal);
    if (o.cmp !== null) {
      expect(forward).toBe(o.cmp);
      expect(backward).toBe(o.cmp === 0 ? 0 : -o.cmp);
    } else {
      expect(backward).toBe(-forward);
    }
  });
});

describe('identity (protocol §9.2)', () => {
  it('treats 1.0, 1.0.0.0 and differing metadata as one package version', () => {
    const identities = ['1.0', '1.0.0', '1.0.0.0', '1.0.0+abc', '1.0.0+def'].map((t) => lowerVersion(parseVersion(t)!));
    expect(new Set(identities)).toEqual(new Set(['1.0.0']));
    expect(lowerVersion(parseVersion('1.0.0-BETA')!)).toBe(lowerVersion(parseVersion('1.0.0-beta')!));
  });

  it('keeps label casing in the normalized and full strings', () => {
    const v = parseVersion('01.2-Beta.1+Build.5')!;
    expect(normalizedVersion(v)).toBe('1.2.0-Beta.1');
    expect(fullVersion(v)).toBe('1.2.0-Beta.1+Build.5');
  });

  it('orders numeric labels numerically and below text labels (§9.3)', () => {
    const sorted = ['1.0.1', '1.0.1-rc.10', '1.0.1-alpha2', '1.0.1-rc.2', '1.0.1-alpha10', '1.0.1-rc.a']
      .map((t) => parseVersion(t)!)
      .sort(compareVersions)
      .map(normalizedVersion);
    expect(sorted).toEqual(['1.0.1-alpha10', '1.0.1-alpha2', '1.0.1-rc.2', '1.0.1-rc.10', '1.0.1-rc.a', '1.0.1']);
  });
});

// Cases the differential test against NuGet.Versioning 8.0.0 (test/client/versioningOracle.test.ts)
// found; kept here so they are guarded where dotnet is absent too.
describe('agreement with NuGet.Versioning beyond the vectors', () => {
  it('trims white space as .NET does, not as JavaScript does', () => {
    expect(parseVersion('\uFEFF1.0.0')).toBeNull(); // U+FEFF is no white space to .NET
    expect(parseVersion('\u00851.0.0') && normalizedVersion(parseVersion('\u00851.0.0')!)).toBe('1.0.0'); // U+0085 is
  });

  it('reads a label that int.TryParse accepts as a number, negative ones included', () => {
    const [a, b] = ['1.0.0--5', '1.0.0-0'].map((t) => parseVersion(t)!);
    expect(compareVersions(a!, b!)).toBeLessThan(0);
  });
});
