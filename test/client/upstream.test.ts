/**
 * The pull-through upstream with the real client (issue 17): a downstream EdgeGet whose only
 * NuGet.Config source is itself restores a project mixing a local package and upstream ones (a
 * real signed nuget.org package and generated ones, one depending on another), byte for byte,
 * through `dotnet add package` (registration) and `dotnet restore`; an id that is local is served
 * from local data only, whatever the upstream has; a reserved id is never named to the upstream;
 * and with the upstream stopped, a restore with cleared client caches succeeds from the cache.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { flatVersions, registrationLeaves } from './harness/feedHttp';
import { writeConsumer } from './harness/projects';
import { pushBytes, pushGenerated, useUpstreamFeeds } from './harness/upstreamFeeds';

const REAL = '/opt/nuget/packages/newtonsoft.json/13.0.3/newtonsoft.json.13.0.3.nupkg';
const dependsOn = (id: string, version: string) =>
  `<dependencies><group targetFramework=".NETStandard2.0"><dependency id="${id}" version="${version}" /></group></dependencies>`;

describe.skipIf(!hasDotnet || !existsSync(REAL))('pull-through upstream with dotnet', () => {
  const feeds = useUpstreamFeeds('upstream', {
    RESERVED_PREFIXES: 'Contoso.*, Internal.Tools',
    UPSTREAM_SEARCH: 'true',
    // Short, so the restore with the upstream stopped meets stale lists: served stale, as on any error.
    UPSTREAM_VERSIONS_TTL: '1',
  });
  const bytes: Record<string, Uint8Array> = {};
  let project = '';

  it('seeds the upstream (a real package and generated ones) and the downstream (local ids)', async () => {
    const { upstream, downstream } = feeds;
    expect((await pushBytes(upstream, readFileSync(REAL))).status).toBe(201);
    bytes['up.dep'] = await pushGenerated(upstream, { id: 'Up.Dep', version: '1.0.0' });
    bytes['up.lib'] = await pushGenerated(upstream, {
      id: 'Up.Lib',
      version: '2.0.0',
      metadata: dependsOn('Up.Dep', '1.0.0'),
    });
    // The dependency-confusion case: the same id upstream with a higher version, and a reserved id.
    await pushGenerated(upstream, { id: 'Contoso.Lib', version: '9.9.9' });
    await pushGenerated(upstream, { id: 'Internal.Tools', version: '1.0.0' });
    bytes['contoso.lib'] = await pushGenerated(downstream, { id: 'Contoso.Lib', version: '1.0.0' });
    bytes['local.lib'] = await pushGenerated(downstream, { id: 'Local.Lib', version: '1.0.0' });
  });

  it('restores local and upstream packages from the downstream alone, every file byte-identical', async () => {
    project = feeds.ws.dir('mixed');
    writeConsumer(project, [
      { id: 'Newtonsoft.Json', version: '13.0.3' },
      { id: 'Local.Lib', version: '1.0.0' },
      { id: 'Contoso.Lib', version: '*' },
    ]);
    const packages = feeds.ws.dir('packages');
    // `dotnet add package` finds Up.Lib's latest version in its registration, then restores the whole project.
    const added = await feeds.ws.run(['add', 'package', 'Up.Lib'], { cwd: project, packages });
    expect(added.code, describeRun(added)).toBe(0);
    expect(readFileSync(join(project, 'Consumer.csproj'), 'utf8')).toMatch(/Include="Up.Lib" Version="2.0.0"/);
    const restored = (id: string, version: string) =>
      readFileSync(join(packages, id, version, `${id}.${version}.nupkg`));
    expect(Buffer.compare(restored('newtonsoft.json', '13.0.3'), readFileSync(REAL))).toBe(0);
    expect(Buffer.compare(restored('up.lib', '2.0.0'), Buffer.from(bytes['up.lib']!))).toBe(0);
    expect(Buffer.compare(restored('up.dep', '1.0.0'), Buffer.from(bytes['up.dep']!))).toBe(0);
    expect(Buffer.compare(restored('local.lib', '1.0.0'), Buffer.from(bytes['local.lib']!))).toBe(0);
    // Floating `*` resolves among the local versions only: 1.0.0, never the upstream's 9.9.9.
    expect(readdirSync(join(packages, 'contoso.lib'))).toEqual(['1.0.0']);
    expect(Buffer.compare(restored('contoso.lib', '1.0.0'), Buffer.from(bytes['contoso.lib']!))).toBe(0);
  });

  it('shows a local id with local versions only, and never names a local or reserved id to the upstream', async () => {
    const { downstream, relay } = feeds;
    expect(await flatVersions(downstream, 'Contoso.Lib')).toEqual(['1.0.0']);
    const leaves = await registrationLeaves(downstream, 'Contoso.Lib');
    expect(leaves?.map((leaf) => leaf.catalogEntry.version)).toEqual(['1.0.0']);
    expect(await flatVersions(downstream, 'Internal.Tools')).toBeNull();
    expect(await flatVersions(downstream, 'Contoso.Other')).toBeNull();
    expect(relay.requests('contoso')).toBe(0);
    expect(relay.requests('internal.tools')).toBe(0);
    expect(relay.requests('local.lib')).toBe(0);
    // The upstream was asked for the upstream ids, and the client never talked to it directly.
    expect(relay.requests('/newtonsoft.json/')).toBeGreaterThan(0);
    const upLeaves = await registrationLeaves(downstream, 'Up.Lib');
    expect(upLeaves?.[0]?.packageContent.startsWith(downstream.origin)).toBe(true);
  });

  it('lists upstream ids in search after local ones, never an upstream hit for a local id', async () => {
    const search = await fetch(`${feeds.downstream.origin}/v3/query?q=lib&semVerLevel=2.0.0&take=10`);
    const { data } = (await search.json()) as { data: { id: string; version: string; registration: string }[] };
    const ids = data.map((hit) => hit.id.toLowerCase());
    expect(ids.slice(0, 2).sort()).toEqual(['contoso.lib', 'local.lib']);
    expect(ids).toContain('up.lib');
    expect(ids.filter((id) => id === 'contoso.lib')).toHaveLength(1);
    expect(data.find((hit) => hit.id === 'Contoso.Lib')?.version).toBe('1.0.0');
    for (const hit of data) expect(hit.registration.startsWith(feeds.downstream.origin)).toBe(true);
    expect(feeds.relay.requests('contoso')).toBe(0);
  });

  it('restores from the cache with the upstream stopped and the client caches cleared', async () => {
    await feeds.upstream.stop();
    expect(await fetch(feeds.relay.source).then((r) => r.status)).toBe(502);
    const packages = feeds.ws.dir('packages-again');
    const result = await feeds.ws.run(['restore'], { cwd: project, packages });
    expect(result.code, describeRun(result)).toBe(0);
    expect(
      Buffer.compare(
        readFileSync(join(packages, 'newtonsoft.json', '13.0.3', 'newtonsoft.json.13.0.3.nupkg')),
        readFileSync(REAL),
      ),
    ).toBe(0);
    expect(existsSync(join(packages, 'up.dep', '1.0.0', 'up.dep.1.0.0.nupkg'))).toBe(true);
  });
});
