/**
 * PowerShell 7.6.9's own PowerShellGet 2.2.5 (PackageManagement 1.4.8.1 and its NuGet provider)
 * against the feed's V2 (OData) endpoint: register it, publish modules with a NuGet API key, find
 * them (latest, every version, a required version, prereleases, wildcard, tag), install one with
 * the module it requires, import it and call it, update it. Every client request is a V2 URL.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, sleep, startFeed } from '../../devkit/feed.mjs';
import { describeRun, dotnetEnv } from './harness/dotnet';
import { type ModuleSpec, type Pwsh, pwshIn, writeModule } from './harness/pwsh';
import { toolPath } from './harness/tools';
import { nugetConfigXml, writeBoundaryFiles } from './harness/workspace';

const pwsh = toolPath('pwsh');
const MODULE = 'EdgeGetV2Demo';
const BASE = 'EdgeGetV2Base';
const TAG = 'edgeget-demo';

interface Found {
  Name: string;
  Version: string;
  Author: string;
  Repository: string;
  /** The required modules' names, comma-separated. */
  Dependencies: string;
}
const select =
  'Select-Object Name, @{ n = "Version"; e = { "$($_.Version)" } }, Author, Repository,' +
  ' @{ n = "Dependencies"; e = { ($_.Dependencies | ForEach-Object { $_.Name }) -join "," } }';

describe.skipIf(!pwsh)('PowerShellGet v2', () => {
  let feed: Feed;
  let root: string;
  let shell: Pwsh;
  let v2: string;
  let baseModules = '';
  /** The requests the feed has logged so far, as `METHOD /path` (wrangler logs no query string). */
  const requested = () => [...feed.logs().matchAll(/\b(?:GET|PUT|POST|DELETE|HEAD) \/\S*/g)].map((m) => m[0]);
  /** Waits until the feed has logged every request it answered (its log lines trail the responses). */
  const quiet = async () => {
    for (let seen = ''; seen !== feed.logs(); await sleep(200)) seen = feed.logs();
  };
  /** Runs `step`; returns its result and the requests the feed logged meanwhile, after asserting they were all V2. */
  const viaV2 = async <T>(step: () => Promise<T>) => {
    await quiet();
    const before = requested().length;
    const result = await step();
    await quiet();
    const sent = requested().slice(before);
    expect(sent.filter((request) => !request.split(' ')[1]?.startsWith('/api/v2/'))).toEqual([]);
    return { result, sent };
  };
  const repositoriesFile = () => join(shell.home, '.cache', 'powershell', 'PowerShellGet', 'PSRepositories.xml');
  /** The package downloads among `sent`, as lower-case `id/version`. */
  const downloads = (sent: readonly string[]) =>
    sent
      .flatMap((request) => /^GET \/api\/v2\/package\/([^/]+\/[^/]+)$/i.exec(request)?.[1]?.toLowerCase() ?? [])
      .sort();
  const versions = async (id: string) =>
    ((await (await fetch(`${feed.origin}/v3/flat/${id.toLowerCase()}/index.json`)).json()) as { versions: string[] })
      .versions;
  /** The script that publishes `spec` (the base module, or the demo module that requires it) with `key`. */
  const publishing = (spec: Omit<ModuleSpec, 'fn' | 'says'>, key = feed.apiKey) => {
    const base = spec.name === BASE;
    const module = writeModule(root, {
      ...spec,
      fn: base ? 'Get-EdgeGetV2Base' : 'Get-EdgeGetV2Greeting',
      says: base ? `base ${spec.version}` : `hello from ${spec.version} and $(Get-EdgeGetV2Base)`,
    });
    if (base) baseModules = dirname(module.dir);
    return `${module.manifest}\nPublish-Module -Path '${module.dir}' -Repository edgeget -NuGetApiKey '${key}'`;
  };

  beforeAll(async () => {
    feed = await startFeed({ apiKey: 'powershellget-test-key' });
    v2 = `${feed.origin}/api/v2/`;
    root = mkdtempSync(join(tmpdir(), 'edgeget-powershellget-'));
    mkdirSync(join(root, 'tmp'));
    // Publish-Module runs `dotnet pack` on a throwaway project under $TMPDIR, then `dotnet nuget push`
    // to the PublishLocation; both read this NuGet.Config. .NET 10 pushes to an http URL only when a
    // configured source with that URL allows insecure connections.
    writeFileSync(join(root, 'NuGet.Config'), nugetConfigXml(`${v2}package/`));
    writeBoundaryFiles(root);
    const dotnetInPwsh = dotnetEnv({
      cwd: root,
      packages: join(root, 'nuget-packages'),
      httpCache: join(root, 'http-cache'),
      env: {
        TMPDIR: join(root, 'tmp'),
        // That project targets netcoreapp2.0, whose implicit Microsoft.NETCore.App 2.0.0 cannot be restored
        // here; as MSBuild properties from the environment these drop it and its empty build, and the
        // package is packed from PowerShellGet's nuspec as on any machine.
        DisableImplicitFrameworkReferences: 'true',
        NoBuild: 'true',
      },
    });
    shell = pwshIn(pwsh!, root, dotnetInPwsh);
    // Without a repositories file PowerShellGet registers PSGallery on first use, asking its server;
    // an empty one keeps every command on this feed.
    mkdirSync(dirname(repositoriesFile()), { recursive: true });
    const seeded = await shell.ps(
      `[System.Management.Automation.PSSerializer]::Serialize([ordered]@{}) | Out-File -FilePath '${repositoriesFile()}'`,
    );
    expect(seeded.code, describeRun(seeded)).toBe(0);
  });
  afterAll(async () => {
    await feed?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('registers the V2 feed as the only repository', async () => {
    const { result, sent } = await viaV2(() =>
      shell.json(
        `Register-PSRepository -Name edgeget -SourceLocation '${v2}' -PublishLocation '${v2}package/' -InstallationPolicy Trusted\n` +
          'Get-PSRepository | Select-Object Name, SourceLocation, PublishLocation, InstallationPolicy',
      ),
    );
    expect(result).toEqual([
      { Name: 'edgeget', SourceLocation: v2, PublishLocation: `${v2}package/`, InstallationPolicy: 'Trusted' },
    ]);
    expect(sent).toContain('GET /api/v2/');
    expect(readFileSync(repositoriesFile(), 'utf8')).toContain(v2);
  });

  it('publishes modules with Publish-Module and the API key, and refuses another key', async () => {
    const specs = [
      { name: BASE, version: '1.0.0' },
      { name: MODULE, version: '1.0.0', requiredModules: [BASE], tags: [TAG] },
      { name: MODULE, version: '1.5.0', requiredModules: [BASE], tags: [TAG] },
      { name: MODULE, version: '2.0.0', prerelease: 'beta1', requiredModules: [BASE], tags: [TAG] },
    ];
    const scripts = specs.map((spec) => publishing(spec));
    const refusal = publishing({ name: MODULE, version: '3.0.0' }, 'not-the-key');
    // One pwsh for all (each start loads PowerShellGet anew); Test-ModuleManifest, which Publish-Module
    // runs, loads the modules a manifest requires, so the base module's folder goes on PSModulePath.
    const { result, sent } = await viaV2(() =>
      shell.ps(
        `$env:PSModulePath = '${baseModules}' + [IO.Path]::PathSeparator + $env:PSModulePath\n${scripts.join('\n')}\n` +
          `try { ${refusal} } catch { "refused: $_" }`,
      ),
    );
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/^refused: .*\b401\b.*API key/ms);
    expect(sent.filter((request) => request === 'PUT /api/v2/package/')).toHaveLength(5);
    expect(await versions(MODULE)).toEqual(['1.0.0', '1.5.0', '2.0.0-beta1']);
    expect(await versions(BASE)).toEqual(['1.0.0']);
    // The nuspec PowerShellGet wrote: the PSModule tag, the manifest's tags, the required module.
    const id = MODULE.toLowerCase();
    const nuspec = await (await fetch(`${feed.origin}/v3/flat/${id}/1.0.0/${id}.nuspec`)).text();
    expect(nuspec).toMatch(/<tags>[^<]*\bPSModule\b[^<]*<\/tags>/);
    expect(nuspec).toContain(TAG);
    expect(nuspec).toContain(`<dependency id="${BASE}"`);
  });

  it('finds the latest, every, a required version and prereleases by id; by wildcard and tag through Search()', async () => {
    const finds = {
      latest: `-Name ${MODULE}`,
      all: `-Name ${MODULE} -AllVersions`,
      allWithPrereleases: `-Name ${MODULE} -AllVersions -AllowPrerelease`,
      required: `-Name ${MODULE} -RequiredVersion 1.0.0`,
      prerelease: `-Name ${MODULE} -AllowPrerelease`,
      wildcard: "-Name 'EdgeGetV2*'",
      tagged: `-Tag ${TAG}`,
    };
    const script = Object.entries(finds).map(
      ([name, args]) => `${name} = @(Find-Module ${args} -Repository edgeget | ${select})`,
    );
    const { result, sent } = await viaV2(() =>
      shell.json<[Record<keyof typeof finds, Found[]> & { missing: string }]>(
        // An id the feed does not have is "no match", not a failed request.
        `[pscustomobject]@{\n${script.join('\n')}\n` +
          'missing = try { Find-Module -Name EdgeGetV2Missing -Repository edgeget } catch { $_.FullyQualifiedErrorId }\n}',
      ),
    );
    const [found] = result;
    const versionsOf = (list: Found[]) => list.map((f) => `${f.Name} ${f.Version}`).sort();
    expect(found.latest).toEqual([
      { Name: MODULE, Version: '1.5.0', Author: 'EdgeGet Tests', Repository: 'edgeget', Dependencies: BASE },
    ]);
    expect(versionsOf(found.all)).toEqual([`${MODULE} 1.0.0`, `${MODULE} 1.5.0`]);
    expect(versionsOf(found.allWithPrereleases)).toEqual([
      `${MODULE} 1.0.0`,
      `${MODULE} 1.5.0`,
      `${MODULE} 2.0.0-beta1`,
    ]);
    expect(versionsOf(found.required)).toEqual([`${MODULE} 1.0.0`]);
    expect(versionsOf(found.prerelease)).toEqual([`${MODULE} 2.0.0-beta1`]);
    expect(versionsOf(found.wildcard)).toEqual([`${BASE} 1.0.0`, `${MODULE} 1.5.0`]);
    expect(versionsOf(found.tagged)).toEqual([`${MODULE} 1.5.0`]);
    expect(found.missing).toMatch(/^NoMatchFoundForCriteria,/);
    expect(sent).toContain('GET /api/v2/FindPackagesById()');
    expect(sent).toContain('GET /api/v2/Search()');
  });

  it('installs a module with the module it requires, imports it and calls it', async () => {
    const { result, sent } = await viaV2(() =>
      shell.ps(
        `Install-Module -Name ${MODULE} -RequiredVersion 1.0.0 -Repository edgeget -Scope CurrentUser\n` +
          `Import-Module ${MODULE}\nGet-EdgeGetV2Greeting`,
      ),
    );
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim()).toBe('hello from 1.0.0 and base 1.0.0');
    const modules = join(shell.home, '.local', 'share', 'powershell', 'Modules');
    expect(existsSync(join(modules, MODULE, '1.0.0', `${MODULE}.psd1`))).toBe(true);
    expect(existsSync(join(modules, BASE, '1.0.0', `${BASE}.psm1`))).toBe(true);
    // PowerShellGet's record of where the module came from, which Update-Module reads.
    expect(readFileSync(join(modules, MODULE, '1.0.0', 'PSGetModuleInfo.xml'), 'utf8')).toContain(v2);
    expect(downloads(sent)).toEqual([`${BASE}/1.0.0`, `${MODULE}/1.0.0`].map((path) => path.toLowerCase()));
  });

  it('updates the installed module to the newest stable version', async () => {
    const { result, sent } = await viaV2(() =>
      shell.ps(
        `Update-Module -Name ${MODULE}\n` +
          `Get-InstalledModule -Name ${MODULE} -AllVersions | ForEach-Object { "installed $($_.Version)" }\n` +
          `Import-Module ${MODULE} -RequiredVersion 1.5.0\nGet-EdgeGetV2Greeting`,
      ),
    );
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim().split('\n').sort()).toEqual([
      'hello from 1.5.0 and base 1.0.0',
      'installed 1.0.0',
      'installed 1.5.0',
    ]);
    expect(downloads(sent)).toEqual([`${MODULE}/1.5.0`.toLowerCase()]);
  });
});
