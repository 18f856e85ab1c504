/**
 * Section "restore": `dotnet restore` wall time of an xunit test project whose closure was pushed
 * from /opt/nuget/packages, cold caches (fresh NUGET_PACKAGES and HTTP cache, --no-http-cache, a
 * fresh project dir), from EdgeGet vs a local folder feed holding the same .nupkg files, flat.
 * Runs alternate (folder, EdgeGet, folder, ...) after one untimed warm-up restore from each feed,
 * in quick runs too: the first restore warms the SDK, MSBuild and the disk cache, and EdgeGet's
 * runtime (compiled code, its edge cache), so that no feed's timed runs include its first one.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fixed, printTable, ratio } from './lib/table.mjs';

const REFERENCES = ['Microsoft.NET.Test.Sdk', 'xunit', 'xunit.runner.visualstudio', 'coverlet.collector'];

function dotnetRestore(cwd, packages, httpCache) {
  const env = {
    ...process.env,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE: '1',
    DOTNET_CLI_USE_MSBUILD_SERVER: '0',
    MSBUILDDISABLENODEREUSE: '1',
    NUGET_PACKAGES: packages,
    NUGET_HTTP_CACHE_PATH: httpCache,
  };
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('dotnet', ['restore', '--no-http-cache'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('error', (error) => resolve({ code: -1, output: String(error), ms: 0 }));
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

function writeProject(dir, sourceValue, versions, extraAttrs = '') {
  mkdirSync(dir, { recursive: true });
  for (const name of ['Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props']) {
    writeFileSync(join(dir, name), '<Project />\n');
  }
  writeFileSync(
    join(dir, 'NuGet.Config'),
    `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n` +
      `    <add key="bench" value="${sourceValue}"${extraAttrs} />\n  </packageSources>\n</configuration>\n`,
  );
  const refs = REFERENCES.filter((id) => versions[id.toLowerCase()])
    .map((id) => `    <PackageReference Include="${id}" Version="${versions[id.toLowerCase()]}" />`)
    .join('\n');
  writeFileSync(
    join(dir, 'Bench.Tests.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n` +
      `    <IsTestProject>true</IsTestProject>\n  </PropertyGroup>\n  <ItemGroup>\n${refs}\n  </ItemGroup>\n</Project>\n`,
  );
}

export async function benchRestore(worker, real, { quick }) {
  const runs = quick ? 1 : 3;
  const versions = Object.fromEntries(real.map((p) => [p.lowerId, p.version]));
  const root = mkdtempSync(join(tmpdir(), 'edgeget-bench-restore-'));
  const folderFeed = join(root, 'folder-feed');
  mkdirSync(folderFeed);
  for (const p of real) copyFileSync(p.file, join(folderFeed, basename(p.file)));
  const sources = {
    folder: { value: folderFeed, attrs: '' },
    edgeget: { value: `${worker.origin}/v3/index.json`, attrs: ' allowInsecureConnections="true"' },
  };
  const times = { folder: [], edgeget: [] };
  const failures = [];
  let counter = 0;
  const once = async (kind) => {
    const dir = join(root, `${kind}-${++counter}`);
    writeProject(join(dir, 'project'), sources[kind].value, versions, sources[kind].attrs);
    const result = await dotnetRestore(join(dir, 'project'), join(dir, 'packages'), join(dir, 'http-cache'));
    if (result.code !== 0) failures.push(`${kind}: exit ${result.code}\n${result.output.slice(-1500)}`);
    rmSync(dir, { recursive: true, force: true });
    return result.ms;
  };
  try {
    // Warm-up, untimed, of each feed alike (a failure still shows below).
    await once('folder');
    await once('edgeget');
    for (let i = 0; i < runs; i++) {
      times.folder.push(await once('folder'));
      times.edgeget.push(await once('edgeget'));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const m = { folder: median(times.folder), edgeget: median(times.edgeget) };
  printTable(
    `dotnet restore, cold caches (${real.length} packages in the closure, ${runs} run(s) each, median)`,
    ['source', 'runs ms', 'median ms', 'vs folder'],
    [
      {
        source: 'local folder feed',
        'runs ms': times.folder.map((t) => fixed(t, 0)).join(', '),
        'median ms': fixed(m.folder, 0),
        'vs folder': '1.00×',
      },
      {
        source: 'EdgeGet (wrangler dev)',
        'runs ms': times.edgeget.map((t) => fixed(t, 0)).join(', '),
        'median ms': fixed(m.edgeget, 0),
        'vs folder': ratio(m.edgeget / m.folder),
      },
    ],
  );
  for (const failure of failures) console.log(`  restore FAILED ${failure}`);
  return { ratio: m.edgeget / m.folder, ok: failures.length === 0, medians: m };
}
