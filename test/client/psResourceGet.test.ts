/**
 * PowerShell 7.6.9 with PSResourceGet against the feed's V3 index: register the repository, publish
 * a module and a .nupkg, find with version ranges and -Prerelease, install and import, update.
 * pwsh runs with its own HOME, so repositories and installed modules stay in this test's folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, startFeed } from '../../devkit/feed.mjs';
import { buildNupkg } from '../../devkit/nupkg.mjs';
import { describeRun } from './harness/dotnet';
import { type Pwsh, pwshIn, writeModule } from './harness/pwsh';
import { toolPath } from './harness/tools';

const pwsh = toolPath('pwsh');
const MODULE = 'EdgeGetDemo';
const NUPKG_ID = 'EdgeGet.PS.Nupkg';

interface Found {
  Name: string;
  Version: string;
  Prerelease: string | null;
  Copyright: string | null;
  Author: string;
}

describe.skipIf(!pwsh)('PSResourceGet', () => {
  let feed: Feed;
  let root: string;
  let ps: Pwsh['ps'];
  let json: Pwsh['json'];
  /** Publishes the module at `version` (prerelease label optional), exporting Get-EdgeGetGreeting. */
  const moduleAt = (version: string, prerelease = '') => {
    const module = writeModule(root, {
      name: MODULE,
      version,
      prerelease,
      fn: 'Get-EdgeGetGreeting',
      says: `hello from ${version}`,
    });
    return ps(
      `${module.manifest}\nPublish-PSResource -Path '${module.dir}' -Repository edgeget -ApiKey '${feed.apiKey}'`,
    );
  };

  beforeAll(async () => {
    feed = await startFeed({ apiKey: 'psresourceget-test-key' });
    root = mkdtempSync(join(tmpdir(), 'edgeget-psresourceget-'));
    ({ ps, json } = pwshIn(pwsh!, root));
  });
  afterAll(async () => {
    await feed?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('registers the V3 index as the only repository', async () => {
    const repositories = await json<{ Name: string; Uri: string; Trusted: boolean }[]>(
      `Register-PSResourceRepository -Name edgeget -Uri '${feed.source}' -Trusted\n` +
        `Unregister-PSResourceRepository -Name PSGallery\nGet-PSResourceRepository | Select-Object Name, Uri, Trusted`,
    );
    expect(repositories).toEqual([{ Name: 'edgeget', Uri: feed.source, Trusted: true }]);
  });

  it('publishes a module (Publish-PSResource -Path) and a package (-NupkgPath)', async () => {
    for (const [version, prerelease] of [
      ['1.0.0', ''],
      ['1.5.0', ''],
      ['2.0.0', 'beta1'],
    ] as const) {
      const published = await moduleAt(version, prerelease);
      expect(published.code, describeRun(published)).toBe(0);
    }
    const nupkg = join(root, `${NUPKG_ID}.1.0.0.nupkg`);
    writeFileSync(nupkg, buildNupkg({ id: NUPKG_ID, version: '1.0.0', authors: 'EdgeGet Nupkg' }));
    const published = await ps(`Publish-PSResource -NupkgPath '${nupkg}' -Repository edgeget -ApiKey '${feed.apiKey}'`);
    expect(published.code, describeRun(published)).toBe(0);
    const versions = (await (await fetch(`${feed.origin}/v3/flat/${MODULE.toLowerCase()}/index.json`)).json()) as {
      versions: string[];
    };
    expect(versions.versions).toEqual(['1.0.0', '1.5.0', '2.0.0-beta1']);
    expect((await fetch(`${feed.origin}/v3/flat/${NUPKG_ID.toLowerCase()}/index.json`)).status).toBe(200);
  });

  it('finds by name, by version range, and prereleases only with -Prerelease', async () => {
    const select = 'Select-Object Name, @{ n = "Version"; e = { "$($_.Version)" } }, Prerelease, Copyright, Author';
    const latest = await json<Found[]>(`Find-PSResource -Name ${MODULE} -Repository edgeget | ${select}`);
    expect(latest.map((f) => [f.Name, f.Version, f.Author])).toEqual([[MODULE, '1.5.0', 'EdgeGet Tests']]);
    expect(latest[0]?.Copyright).toBe('(c) EdgeGet Tests');
    const ranged = await json<Found[]>(
      `Find-PSResource -Name ${MODULE} -Version '[1.0.0, 1.5.0)' -Repository edgeget | ${select}`,
    );
    expect(ranged.map((f) => f.Version)).toEqual(['1.0.0']);
    const stable = await json<Found[]>(`Find-PSResource -Name ${MODULE} -Version '*' -Repository edgeget | ${select}`);
    expect(stable.map((f) => f.Version).sort()).toEqual(['1.0.0', '1.5.0']);
    const all = await json<Found[]>(
      `Find-PSResource -Name ${MODULE} -Version '*' -Prerelease -Repository edgeget | ${select}`,
    );
    expect(all.map((f) => `${f.Version}${f.Prerelease ? `-${f.Prerelease}` : ''}`).sort()).toEqual([
      '1.0.0',
      '1.5.0',
      '2.0.0-beta1',
    ]);
    const nupkg = await json<Found[]>(`Find-PSResource -Name ${NUPKG_ID} -Repository edgeget | ${select}`);
    expect(nupkg.map((f) => [f.Name, f.Version, f.Author])).toEqual([[NUPKG_ID, '1.0.0', 'EdgeGet Nupkg']]);
  });

  it('installs and imports the module, then updates it to a newer version', async () => {
    const installed = await ps(
      `Install-PSResource -Name ${MODULE} -Version '[1.0.0, 1.5.0)' -Repository edgeget -Scope CurrentUser\n` +
        `Import-Module ${MODULE}\nGet-EdgeGetGreeting`,
    );
    expect(installed.code, describeRun(installed)).toBe(0);
    expect(installed.stdout.trim()).toBe('hello from 1.0.0');
    const updated = await ps(
      `Update-PSResource -Name ${MODULE} -Repository edgeget -Scope CurrentUser\n` +
        `Import-Module ${MODULE} -RequiredVersion 1.5.0\nGet-EdgeGetGreeting`,
    );
    expect(updated.code, describeRun(updated)).toBe(0);
    expect(updated.stdout.trim()).toBe('hello from 1.5.0');
  });
});
