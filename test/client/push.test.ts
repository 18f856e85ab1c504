/** `dotnet nuget push` variants: version shapes, duplicates, --skip-duplicate and a wrong API key. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatPackage, flatVersions, registrationLeaves } from './harness/feedHttp';
import { push, useClientFeed } from './harness/suite';

const ID = 'EdgeGet.Client.Variants';
// Packed from one build: release, prerelease, SemVer 2 with build metadata, 4-part.
const VERSIONS = ['1.0.0', '1.1.0-rc.2', '1.0.0-beta.1+sha.abc', '1.2.3.4'];

describe.skipIf(!hasDotnet)('push variants', () => {
  const ctx = useClientFeed('push');
  const files: Record<string, string> = {};

  it('pushes a release, a prerelease, a SemVer 2 version with metadata and a 4-part version', async () => {
    const [first, ...extra] = VERSIONS;
    const packed = await ctx.packer.pack({ id: ID, version: first! }, extra);
    VERSIONS.forEach((version, i) => {
      files[version] = packed[i]!;
    });
    // The client names the file by the normalized version without metadata.
    expect(files['1.0.0-beta.1+sha.abc']).toMatch(/EdgeGet\.Client\.Variants\.1\.0\.0-beta\.1\.nupkg$/);

    for (const version of VERSIONS) {
      const result = await push(ctx, files[version]!);
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.output).toContain('Your package was pushed.');
    }
    // Flat container: lowercase normalized versions without metadata, ascending.
    expect(await flatVersions(ctx.feed, ID)).toEqual(['1.0.0-beta.1', '1.0.0', '1.1.0-rc.2', '1.2.3.4']);
    for (const [version, lower] of [
      ['1.0.0-beta.1+sha.abc', '1.0.0-beta.1'],
      ['1.2.3.4', '1.2.3.4'],
    ] as const) {
      const served = await flatPackage(ctx.feed, ID, lower);
      expect(served && Buffer.compare(Buffer.from(served), readFileSync(files[version]!))).toBe(0);
    }
    // Registration keeps the full SemVer 2 version string (metadata included).
    const leaves = (await registrationLeaves(ctx.feed, ID)) ?? [];
    expect(leaves.map((leaf) => leaf.catalogEntry.version).sort()).toEqual([...VERSIONS].sort());
  });

  it('fails a duplicate push with a 409 conflict message', async () => {
    const result = await push(ctx, files['1.0.0']!);
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toMatch(/409/);
    expect(result.output).toMatch(/already exists|conflict/i);
    expect(result.output).toContain('--skip-duplicate');
  });

  it('accepts a duplicate push with --skip-duplicate (exit 0, nothing changes)', async () => {
    const result = await push(ctx, files['1.0.0']!, { skipDuplicate: true });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toMatch(/already exists at feed/);
    expect(await flatVersions(ctx.feed, ID)).toHaveLength(VERSIONS.length);
  });

  it('rejects a push with a wrong API key, and one without a key, storing nothing', async () => {
    const [file] = await ctx.packer.pack({ id: 'EdgeGet.Client.Unauthorized', version: '1.0.0' });
    const wrong = await push(ctx, file!, { apiKey: 'not-the-key' });
    expect(wrong.code, describeRun(wrong)).not.toBe(0);
    expect(wrong.output).toMatch(/Response status code does not indicate success: 401/);

    const none = await push(ctx, file!, { apiKey: null });
    expect(none.code, describeRun(none)).not.toBe(0);
    expect(none.output).toMatch(/No API Key was provided/);
    expect(none.output).toMatch(/401/);

    expect(await flatVersions(ctx.feed, 'EdgeGet.Client.Unauthorized')).toBeNull();
  });
});
