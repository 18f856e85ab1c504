/**
 * The real `dotnet` against the feed's V2 (OData) endpoint: a NuGet.Config whose only source is
 * `{origin}/api/v2/` (no `.json`, so NuGet.Protocol speaks V2). Restore of an id with more
 * versions than one page (next links followed), of an unlisted version pinned exactly, a
 * dependency resolved from the full version list, `dotnet add package`, and an unknown id
 * failing with NU1101. Every request the client sends is a V2 URL, none a /v3/ one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNupkg, multipartBody } from '../../devkit/nupkg.mjs';
import { sleep } from '../../devkit/feed.mjs';
import { describeRun, hasDotnet } from './harness/dotnet';
import { writeConsumer } from './harness/projects';
import { useClientFeed } from './harness/suite';
import { nugetConfigXml } from './harness/workspace';

const MANY = 'EdgeGet.V2.Many';
const MANY_COUNT = 105;
const LIB = 'EdgeGet.V2.Lib';
const APP = 'EdgeGet.V2.App';

/** A package built in code: the netstandard2.0 lib folder restores into any net project. */
function nupkg(id: string, version: string, dependencies = ''): Uint8Array {
  const metadata = dependencies
    ? `<dependencies><group targetFramework=".NETStandard2.0">${dependencies}</group></dependencies>`
    : '';
  return buildNupkg({ id, version, metadata });
}

describe.skipIf(!hasDotnet)('dotnet restore from the V2 feed', () => {
  const ctx = useClientFeed('odata');
  const built: Record<string, Uint8Array> = {};

  /** The request lines the feed logged (wrangler logs the path, not the query). */
  const requested = () => [...ctx.feed.logs().matchAll(/\b(?:GET|PUT|POST|DELETE|HEAD) \/\S*/g)].map((m) => m[0]);
  const quiet = async () => {
    for (let seen = ''; seen !== ctx.feed.logs(); await sleep(200)) seen = ctx.feed.logs();
  };

  /** A project dir whose NuGet.Config (with <clear/>) has only the V2 source. */
  const v2Project = (name: string, refs: { id: string; version?: string }[]) => {
    const dir = ctx.ws.dir(name);
    writeConsumer(dir, refs);
    writeFileSync(join(dir, 'NuGet.Config'), nugetConfigXml(`${ctx.feed.origin}/api/v2/`));
    return dir;
  };

  /** Runs a dotnet command and returns it with the requests the feed logged meanwhile. */
  const run = async (args: string[], cwd: string, packages?: string) => {
    await quiet();
    const before = requested().length;
    const result = await ctx.ws.run(args, { cwd, packages });
    await quiet();
    return { result, sent: requested().slice(before) };
  };

  const push = async (id: string, version: string, dependencies = '') => {
    const bytes = nupkg(id, version, dependencies);
    built[`${id}/${version}`] = bytes;
    const { body, contentType } = multipartBody(bytes);
    const response = await fetch(`${ctx.feed.origin}/api/v2/package/`, {
      method: 'PUT',
      headers: { 'Content-Type': contentType, 'X-NuGet-ApiKey': ctx.feed.apiKey },
      body: new Blob([body as Uint8Array<ArrayBuffer>]),
    });
    expect(response.status, `${id} ${version}`).toBe(201);
  };

  it('seeds an id with more versions than a page, a library with an unlisted version, an app', async () => {
    for (let i = 0; i < MANY_COUNT; i++) await push(MANY, `1.0.${i}`);
    for (const version of ['1.0.0', '1.1.0', '2.0.0', '3.0.0-beta']) await push(LIB, version);
    await push(APP, '1.0.0', `<dependency id="${MANY}" version="1.0.101" />`);
    const unlisted = await fetch(`${ctx.feed.origin}/api/v2/package/${LIB}/1.0.0`, {
      method: 'DELETE',
      headers: { 'X-NuGet-ApiKey': ctx.feed.apiKey },
    });
    expect(unlisted.status).toBe(204);
    const first = await fetch(`${ctx.feed.origin}/api/v2/FindPackagesById()?id='${MANY}'`);
    expect(await first.text()).toContain('rel="next"');
  });

  it('restores a version on the second page, a dependency, and an unlisted version pinned exactly', async () => {
    const project = v2Project('restore', [
      { id: MANY, version: `[1.0.${MANY_COUNT - 1}]` },
      { id: APP, version: '1.0.0' },
      { id: LIB, version: '[1.0.0]' },
    ]);
    const packages = ctx.ws.dir('restore-packages');
    const { result, sent } = await run(['restore', '--no-http-cache'], project, packages);
    expect(result.code, describeRun(result)).toBe(0);
    const restored = (id: string, version: string) =>
      readFileSync(join(packages, id.toLowerCase(), version, `${id.toLowerCase()}.${version}.nupkg`));
    // The exact pin wins over the app's dependency (>= 1.0.101).
    expect(Buffer.compare(restored(MANY, `1.0.${MANY_COUNT - 1}`), built[`${MANY}/1.0.${MANY_COUNT - 1}`]!)).toBe(0);
    expect(Buffer.compare(restored(LIB, '1.0.0'), built[`${LIB}/1.0.0`]!)).toBe(0);
    expect(Buffer.compare(restored(APP, '1.0.0'), built[`${APP}/1.0.0`]!)).toBe(0);
    expect(sent.some((line) => line.startsWith('GET /api/v2/FindPackagesById()'))).toBe(true);
    expect(sent.filter((line) => line.includes('/api/v2/FindPackagesById()')).length).toBeGreaterThanOrEqual(4);
    expect(sent.some((line) => line.startsWith(`GET /api/v2/package/${MANY}/1.0.${MANY_COUNT - 1}`))).toBe(true);
    expect(sent.filter((line) => !line.split(' ')[1]?.startsWith('/api/v2/'))).toEqual([]);
  });

  it('resolves a dependency range from the full version list, across pages', async () => {
    const project = v2Project('dependency', [{ id: APP, version: '1.0.0' }]);
    const packages = ctx.ws.dir('dependency-packages');
    const { result } = await run(['restore', '--no-http-cache'], project, packages);
    expect(result.code, describeRun(result)).toBe(0);
    const assets = readFileSync(join(project, 'obj', 'project.assets.json'), 'utf8');
    expect(assets).toContain(`"${MANY}/1.0.101"`);
  });

  it('adds the latest listed stable version with dotnet add package', async () => {
    const project = v2Project('add', []);
    const { result, sent } = await run(['add', 'package', LIB], project);
    expect(result.code, describeRun(result)).toBe(0);
    const csproj = readFileSync(join(project, 'Consumer.csproj'), 'utf8');
    expect(csproj).toContain(`<PackageReference Include="${LIB}" Version="2.0.0" />`);
    expect(sent.filter((line) => line.includes('/v3/'))).toEqual([]);
  });

  it('fails an unknown id with NU1101, not NU1301', async () => {
    const project = v2Project('unknown', [{ id: 'EdgeGet.V2.Nowhere', version: '1.0.0' }]);
    const { result, sent } = await run(['restore', '--no-http-cache'], project);
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.output).toContain('NU1101');
    expect(result.output).not.toContain('NU1301');
    expect(sent.some((line) => line.startsWith('GET /api/v2/FindPackagesById()'))).toBe(true);
  });
});
