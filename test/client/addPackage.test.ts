/** `dotnet add package X` without a version takes the latest listed stable; with --prerelease the latest prerelease. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { registrationLeaves } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed } from './harness/suite';

const ID = 'EdgeGet.Client.Pick';
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0-beta.1', '2.0.0-rc.1', '0.5.0'];

/** The Version attribute `dotnet add package` wrote for ID. */
function referencedVersion(project: string): string | undefined {
  const csproj = readFileSync(join(project, 'Consumer.csproj'), 'utf8');
  return new RegExp(`<PackageReference Include="${ID.replace(/\./g, '\\.')}" Version="([^"]+)"`).exec(csproj)?.[1];
}

describe.skipIf(!hasDotnet)('dotnet add package', () => {
  const ctx = useClientFeed('add');
  const files: Record<string, string> = {};

  it('pushes several stable and prerelease versions', async () => {
    const [first, ...extra] = VERSIONS;
    const packed = await ctx.packer.pack({ id: ID, version: first! }, extra);
    VERSIONS.forEach((version, i) => {
      files[version] = packed[i]!;
    });
    const result = await push(ctx, join(ctx.packer.out, `${ID}.*.nupkg`));
    expect(result.code, describeRun(result)).toBe(0);
    const leaves = (await registrationLeaves(ctx.feed, ID)) ?? [];
    expect(leaves.map((l) => l.catalogEntry.version).sort()).toEqual([...VERSIONS].sort());
    expect(leaves.every((l) => l.catalogEntry.listed !== false)).toBe(true);
  });

  it('picks the latest stable version when no version is given', async () => {
    const project = ctx.ws.dir('add-stable');
    writeConsumer(project);
    const packages = ctx.ws.dir('add-stable-packages');
    const result = await ctx.ws.run(['add', 'package', ID], { cwd: project, packages });
    expect(result.code, describeRun(result)).toBe(0);
    expect(referencedVersion(project)).toBe('1.1.0');
    const restored = join(packages, ID.toLowerCase(), '1.1.0', `${ID.toLowerCase()}.1.1.0.nupkg`);
    expect(Buffer.compare(readFileSync(restored), readFileSync(files['1.1.0']!))).toBe(0);
  });

  it('picks the latest prerelease with --prerelease', async () => {
    const project = ctx.ws.dir('add-prerelease');
    writeConsumer(project);
    const result = await ctx.ws.run(['add', 'package', ID, '--prerelease'], { cwd: project });
    expect(result.code, describeRun(result)).toBe(0);
    expect(referencedVersion(project)).toBe('2.0.0-rc.1');
  });
});
