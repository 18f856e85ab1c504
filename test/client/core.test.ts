/**
 * The core flow with the real client: pack → push → the feed lists it → restore from this feed alone
 * into an empty global packages folder → the restored .nupkg is byte-identical to the packed one.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatPackage, flatVersions, resourceUrl } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed } from './harness/suite';
import { nugetConfigXml } from './harness/workspace';

const DEP = 'EdgeGet.Client.Dependency';
const LIB = 'EdgeGet.Client.Core';
const README = '# EdgeGet.Client.Core\n\nPacked by the client suite.\n';

describe.skipIf(!hasDotnet)('core flow: pack, push, restore', () => {
  const ctx = useClientFeed('core');
  let depFile = '';
  let libFile = '';

  it('packs a library with readme, tags, description and a ranged dependency', async () => {
    depFile = (await ctx.packer.pack({ id: DEP, version: '1.0.0' }))[0]!;
    libFile = (
      await ctx.packer.pack({
        id: LIB,
        version: '1.0.0',
        description: 'Core flow library for EdgeGet.',
        tags: ['edgeget', 'client-suite'],
        readme: README,
        dependencies: [{ id: DEP, version: '[1.0.0, 2.0.0)' }],
      })
    )[0]!;
    expect(depFile).toMatch(/EdgeGet\.Client\.Dependency\.1\.0\.0\.nupkg$/);
    expect(libFile).toMatch(/EdgeGet\.Client\.Core\.1\.0\.0\.nupkg$/);
  });

  it('pushes both packages with the API key', async () => {
    for (const file of [depFile, libFile]) {
      const result = await push(ctx, file);
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.output).toContain('Your package was pushed.');
    }
  });

  it('serves the pushed versions from the flat container, byte for byte, with the readme', async () => {
    expect(await flatVersions(ctx.feed, LIB)).toEqual(['1.0.0']);
    expect(await flatVersions(ctx.feed, DEP)).toEqual(['1.0.0']);
    const served = await flatPackage(ctx.feed, LIB, '1.0.0');
    expect(served && Buffer.compare(Buffer.from(served), readFileSync(libFile))).toBe(0);
    const flat = await resourceUrl(ctx.feed, 'PackageBaseAddress/3.0.0');
    const readme = await fetch(`${flat}${LIB.toLowerCase()}/1.0.0/readme`);
    expect(readme.status).toBe(200);
    expect((await readme.text()).trim()).toBe(README.trim());
  });

  it('restores a project referencing the package from this feed only, into an empty NUGET_PACKAGES', async () => {
    const project = ctx.ws.dir('consumer');
    writeConsumer(project, [{ id: LIB, version: '1.0.0' }]);
    const packages = ctx.ws.dir('restore-packages');
    const result = await ctx.ws.run(['restore', '--no-http-cache'], { cwd: project, packages });
    expect(result.code, describeRun(result)).toBe(0);

    const restored = (id: string) => join(packages, id.toLowerCase(), '1.0.0', `${id.toLowerCase()}.1.0.0.nupkg`);
    expect(Buffer.compare(readFileSync(restored(LIB)), readFileSync(libFile))).toBe(0);
    // The dependency came from the range in the restored package's nuspec: lowest match, 1.0.0.
    expect(Buffer.compare(readFileSync(restored(DEP)), readFileSync(depFile))).toBe(0);
    const assets = JSON.parse(readFileSync(join(project, 'obj', 'project.assets.json'), 'utf8'));
    expect(Object.keys(assets.libraries)).toEqual(expect.arrayContaining([`${LIB}/1.0.0`, `${DEP}/1.0.0`]));
  });

  it('adds no warning of its own when a package is found only on another source', async () => {
    // A floating version makes restore ask every source; this feed answers 404, which must stay silent
    // (the client prints every X-NuGet-Warning header as a warning, and -warnaserror turns it into an error).
    const other = ctx.ws.dir('other-source');
    const file = await ctx.packer.variant(DEP, { id: 'EdgeGet.Client.Elsewhere', version: '1.0.0' });
    copyFileSync(file, join(other, basename(file)));
    const project = ctx.ws.dir('mixed-sources');
    writeConsumer(project, [{ id: 'EdgeGet.Client.Elsewhere', version: '1.*' }]);
    writeFileSync(
      join(project, 'NuGet.Config'),
      nugetConfigXml(ctx.feed.source).replace(
        '</packageSources>',
        `  <add key="other" value="${other}" />\n  </packageSources>`,
      ),
    );
    const result = await ctx.ws.run(['restore', '--no-http-cache', '-warnaserror'], { cwd: project });
    expect(await flatVersions(ctx.feed, 'EdgeGet.Client.Elsewhere')).toBeNull();
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).not.toMatch(/warning|error/i);
  });
});
