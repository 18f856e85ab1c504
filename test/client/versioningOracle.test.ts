/**
 * Differential test: EdgeGet's versioning (src/nuget/version.ts, range.ts, floatRange.ts) against
 * the real NuGet.Versioning, run by tools/versioning-oracle on a few thousand seeded inputs plus
 * every conformance vector. Zero disagreements allowed.
 *
 * Needs `dotnet`; it is skipped only when the SDK is absent. If NuGet.Versioning cannot be
 * restored the test fails (with dotnet's output) instead of skipping, so disagreements cannot
 * hide. Run it alone with: npx vitest run --project client test/client/versioningOracle.test.ts
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDotnet } from './harness/dotnet';
import { conformanceInputs } from './support/conformanceInputs';
import { Gen, generatedPairs, generatedRanges, generatedVersions, PROBES } from './support/versionInputs';
import { type Disagreements, disagreements, summarize } from './support/versioningDiff';
import { buildOracle, type Oracle, type OracleInput, type OracleOutput } from './support/versioningOracle';

// Fixed, so every run checks the same inputs; EDGEGET_ORACLE_SEED / EDGEGET_ORACLE_COUNT explore further.
const SEED = Number(process.env.EDGEGET_ORACLE_SEED ?? 20240611);
const COUNT = Number(process.env.EDGEGET_ORACLE_COUNT ?? 3000);

function inputs(): OracleInput {
  const conformance = conformanceInputs();
  const g = new Gen(SEED);
  const versions = [...conformance.versions, ...generatedVersions(g, COUNT)];
  // Neighbours in the conformance list are close versions: compare each with the next.
  const neighbours = conformance.versions.slice(1).map((b, i): [string, string] => [conformance.versions[i] ?? '', b]);
  const pairs = [...conformance.pairs, ...neighbours, ...generatedPairs(g, COUNT)];
  const ranges = [...conformance.ranges, ...generatedRanges(g, COUNT)];
  return { versions, pairs, ranges, probes: PROBES };
}

describe.skipIf(!hasDotnet)('versioning matches NuGet.Versioning 8.0.0', () => {
  let oracle: Oracle | undefined;
  const input = inputs();
  let nuget: OracleOutput;
  let found: Disagreements;

  beforeAll(async () => {
    oracle = await buildOracle();
    nuget = await oracle.run(input);
    found = disagreements(input, nuget);
    // EDGEGET_ORACLE_DUMP=file.json keeps every disagreement (and the oracle's answers) for study.
    const dump = process.env.EDGEGET_ORACLE_DUMP;
    if (dump) writeFileSync(dump, JSON.stringify({ found, input, nuget }, null, 1));
  });
  afterAll(() => oracle?.dispose());

  it('judges every input, with plenty on both sides of each parser', () => {
    expect(nuget.versions).toHaveLength(input.versions.length);
    expect(nuget.pairs).toHaveLength(input.pairs.length);
    expect(nuget.ranges).toHaveLength(input.ranges.length);
    const parsedVersions = nuget.versions.filter((v) => v.parsed !== null).length;
    const parsedRanges = nuget.ranges.filter((r) => r.parsed !== null).length;
    const compared = nuget.pairs.filter((sign) => sign !== null);
    // Not vacuous: many accepted and many rejected inputs, and every comparison outcome.
    expect(parsedVersions).toBeGreaterThan(500);
    expect(input.versions.length - parsedVersions).toBeGreaterThan(500);
    expect(parsedRanges).toBeGreaterThan(500);
    expect(input.ranges.length - parsedRanges).toBeGreaterThan(500);
    expect(nuget.versions.filter((v) => v.strict !== null).length).toBeGreaterThan(200);
    expect(nuget.ranges.filter((r) => r.parsed?.floatBehavior).length).toBeGreaterThan(100);
    for (const sign of [-1, 0, 1]) expect(compared.filter((s) => s === sign).length).toBeGreaterThan(100);
  });

  it('parses, normalizes and prints versions the same way', () => {
    expect(found.versions.length, summarize(found.versions)).toBe(0);
  });

  it('orders versions the same way', () => {
    expect(found.pairs.length, summarize(found.pairs)).toBe(0);
  });

  it('parses, prints and applies ranges and floats the same way', () => {
    expect(found.ranges.length, summarize(found.ranges)).toBe(0);
  });
});
