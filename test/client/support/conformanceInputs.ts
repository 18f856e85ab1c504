/**
 * Every version, pair and range string in the conformance vectors (test/fixtures/conformance, taken
 * from NuGet's own test suites), so the oracle also judges the cases those tests were written for.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/conformance');

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, name), 'utf8')) as T;
}

interface RangesFile {
  valid: { input: string; satisfies?: string[]; notSatisfies?: string[] }[];
  invalid: string[];
  equality: { a: string; b: string }[];
  floatRange: { valid: { input: string }[]; invalid: string[] };
}

interface Semver2File {
  packageVersions: { version: string }[];
  dependencyRanges: { range: string | null }[];
  semVerLevelParameter: { semVerLevel: string | null }[];
}

export interface ConformanceInputs {
  versions: string[];
  pairs: [string, string][];
  ranges: string[];
}

export function conformanceInputs(): ConformanceInputs {
  const valid = load<{ input: string }[]>('versions-valid.json');
  const invalid = load<{ nugetVersion: string[]; strictSemVer: string[] }>('versions-invalid.json');
  const order = load<{ a: string; b: string }[]>('versions-order.json');
  const ranges = load<RangesFile>('ranges.json');
  const semver2 = load<Semver2File>('semver2.json');
  const present = (items: (string | null)[]) => items.filter((item): item is string => item !== null);

  const versions = [
    ...valid.map((entry) => entry.input),
    ...invalid.nugetVersion,
    ...invalid.strictSemVer,
    ...order.flatMap((pair) => [pair.a, pair.b]),
    ...ranges.valid.flatMap((entry) => [...(entry.satisfies ?? []), ...(entry.notSatisfies ?? [])]),
    ...semver2.packageVersions.map((entry) => entry.version),
    ...present(semver2.semVerLevelParameter.map((entry) => entry.semVerLevel)),
  ];
  const rangeTexts = [
    ...ranges.valid.map((entry) => entry.input),
    ...ranges.invalid,
    ...ranges.equality.flatMap((pair) => [pair.a, pair.b]),
    ...ranges.floatRange.valid.map((entry) => entry.input),
    ...ranges.floatRange.invalid,
    ...present(semver2.dependencyRanges.map((entry) => entry.range)),
  ];
  return {
    versions,
    pairs: order.flatMap((pair): [string, string][] => [
      [pair.a, pair.b],
      [pair.b, pair.a],
    ]),
    ranges: rangeTexts,
  };
}
