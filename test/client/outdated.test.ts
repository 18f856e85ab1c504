/** `dotnet list package --outdated` (with and without --include-prerelease) reads newer versions from the feed. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { registrationLeaves } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed, type ClientContext } from './harness/suite';

const OLD = 'EdgeGet.Client.Outdated';
const CURRENT = 'EdgeGet.Client.Current';

interface ListedPackage {
  id: string;
  requestedVersion: string;
  resolvedVersion: string;
  latestVersion?: string;
}
interface ListReport {
  version: number;
  projects: { path: string; frameworks?: { framework: string; topLevelPackages: ListedPackage[] }[] }[];
}

describe.skipIf(!hasDotnet)('dotnet list package --outdated', () => {
  const ctx = useClientFeed('outdated');
  let project = '';

  async function listOutdated(c: ClientContext, extra: string[] = []): Promise<ListedPackage[]> {
    const args = ['list', 'package', '--outdated', ...extra, '--format', 'json', '--output-version', '1'];
    const result = await c.ws.run(args, { cwd: project });
    expect(result.code, describeRun(result)).toBe(0);
    const report = JSON.parse(result.stdout) as ListReport;
    return report.projects.flatMap((p) => p.frameworks ?? []).flatMap((f) => f.topLevelPackages);
  }

  it('pushes newer stable and prerelease versions, and restores a project on the oldest', async () => {
    await ctx.packer.pack({ id: OLD, version: '1.0.0' }, ['1.1.0', '1.2.0', '2.0.0-beta.1']);
    await ctx.packer.variant(OLD, { id: CURRENT, version: '3.0.0' });
    const result = await push(ctx, join(ctx.packer.out, 'EdgeGet.Client.*.nupkg'));
    expect(result.code, describeRun(result)).toBe(0);
    expect((await registrationLeaves(ctx.feed, OLD))?.map((l) => l.catalogEntry.version).sort()).toEqual([
      '1.0.0',
      '1.1.0',
      '1.2.0',
      '2.0.0-beta.1',
    ]);

    project = ctx.ws.dir('consumer');
    writeConsumer(project, [
      { id: OLD, version: '1.0.0' },
      { id: CURRENT, version: '3.0.0' },
    ]);
    const restore = await ctx.ws.run(['restore'], { cwd: project, packages: join(project, 'packages') });
    expect(restore.code, describeRun(restore)).toBe(0);
  });

  it('reports the latest stable version of outdated packages only', async () => {
    const packages = await listOutdated(ctx);
    expect(packages).toEqual([
      expect.objectContaining({ id: OLD, requestedVersion: '1.0.0', resolvedVersion: '1.0.0', latestVersion: '1.2.0' }),
    ]);
  });

  it('reports the latest prerelease with --include-prerelease', async () => {
    const packages = await listOutdated(ctx, ['--include-prerelease']);
    expect(packages).toEqual([
      expect.objectContaining({ id: OLD, resolvedVersion: '1.0.0', latestVersion: '2.0.0-beta.1' }),
    ]);
  });
});
