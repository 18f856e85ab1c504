/**
 * `dotnet nuget delete` unlists: the version stays restorable but is no longer picked or searched;
 * relisting over HTTP (there is no dotnet command for it) brings it back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatVersions, registrationLeaves, relist, searchFeed } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { push, useClientFeed, type ClientContext } from './harness/suite';
import { SOURCE_NAME } from './harness/workspace';

const ID = 'EdgeGet.Client.Unlisted';

function deleteCommand(ctx: ClientContext, version: string, apiKey = ctx.feed.apiKey) {
  return ctx.ws.run([
    'nuget',
    'delete',
    ID,
    version,
    '--non-interactive',
    '--source',
    SOURCE_NAME,
    '--api-key',
    apiKey,
  ]);
}

async function addPackage(ctx: ClientContext): Promise<string | undefined> {
  const project = ctx.ws.dir('add');
  writeConsumer(project);
  const result = await ctx.ws.run(['add', 'package', ID], { cwd: project });
  expect(result.code, describeRun(result)).toBe(0);
  return /Include="EdgeGet\.Client\.Unlisted" Version="([^"]+)"/.exec(
    readFileSync(join(project, 'Consumer.csproj'), 'utf8'),
  )?.[1];
}

async function listedOf(ctx: ClientContext, version: string): Promise<boolean | undefined> {
  const leaf = (await registrationLeaves(ctx.feed, ID))?.find((l) => l.catalogEntry.version === version);
  return leaf && leaf.catalogEntry.listed !== false;
}

const searchVersions = async (ctx: ClientContext) =>
  (await searchFeed(ctx.feed, { q: ID })).data.find((d) => d.id === ID)?.versions.map((v) => v.version);

describe.skipIf(!hasDotnet)('unlist with dotnet nuget delete, relist over HTTP', () => {
  const ctx = useClientFeed('unlist');
  let latest = '';

  it('pushes 0.9.0 and 1.0.0; add package picks 1.0.0', async () => {
    latest = (await ctx.packer.pack({ id: ID, version: '0.9.0' }, ['1.0.0']))[1]!;
    const result = await push(ctx, join(ctx.packer.out, `${ID}.*.nupkg`));
    expect(result.code, describeRun(result)).toBe(0);
    expect(await addPackage(ctx)).toBe('1.0.0');
  });

  it('refuses a delete with a wrong key and of a missing version', async () => {
    const wrongKey = await deleteCommand(ctx, '1.0.0', 'not-the-key');
    expect(wrongKey.code, describeRun(wrongKey)).not.toBe(0);
    expect(wrongKey.output).toMatch(/401/);
    const missing = await deleteCommand(ctx, '9.9.9');
    expect(missing.code, describeRun(missing)).not.toBe(0);
    expect(missing.output).toMatch(/404/);
    expect(await listedOf(ctx, '1.0.0')).toBe(true);
  });

  it('unlists 1.0.0 with dotnet nuget delete --non-interactive', async () => {
    const result = await deleteCommand(ctx, '1.0.0');
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output).toMatch(/was deleted successfully/);
    expect(await listedOf(ctx, '1.0.0')).toBe(false);
    expect(await flatVersions(ctx.feed, ID)).toEqual(['0.9.0', '1.0.0']);
    expect(await searchVersions(ctx)).toEqual(['0.9.0']);
  });

  it('still restores the unlisted version when asked for exactly', async () => {
    const project = ctx.ws.dir('exact');
    writeConsumer(project, [{ id: ID, version: '[1.0.0]' }]);
    const packages = ctx.ws.dir('exact-packages');
    const result = await ctx.ws.run(['restore', '--no-http-cache'], { cwd: project, packages });
    expect(result.code, describeRun(result)).toBe(0);
    const restored = join(packages, ID.toLowerCase(), '1.0.0', `${ID.toLowerCase()}.1.0.0.nupkg`);
    expect(existsSync(restored) && Buffer.compare(readFileSync(restored), readFileSync(latest))).toBe(0);
  });

  it('no longer picks the unlisted version in add package', async () => {
    expect(await addPackage(ctx)).toBe('0.9.0');
  });

  it('relists with POST, and the version is picked and searched again', async () => {
    const response = await relist(ctx.feed, ID, '1.0.0');
    expect(response.status).toBe(200);
    expect(await listedOf(ctx, '1.0.0')).toBe(true);
    expect(await searchVersions(ctx)).toEqual(['0.9.0', '1.0.0']);
    expect(await addPackage(ctx)).toBe('1.0.0');
  });
});
