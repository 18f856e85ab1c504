/**
 * `npx edgeget import` and `npx edgeget export` between real `wrangler dev` feeds: feed A holds real
 * signed packages and generated ones (unlisted, prerelease, build metadata, symbols, a deprecation,
 * an advisory); A is imported into B through its catalog, and again through a stand-in source
 * without a catalog (search + flat container) behind Basic auth; A is exported to a folder, which
 * `dotnet` reads and which is imported into C. Each copy must match A byte for byte and state for state.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, freePort, startFeed } from '../../devkit/feed.mjs';
import { buildNupkg } from '../../devkit/nupkg.mjs';
import { edgeget } from '../client/harness/cli';
import { describeRun, dotnet, hasDotnet } from '../client/harness/dotnet';
import { writeConsumer } from '../client/harness/projects';
import { writeBoundaryFiles } from '../client/harness/workspace';
import {
  ADVISORY,
  DEPRECATION,
  REAL,
  catalogHead,
  expectSame,
  expected,
  file,
  seed,
  states,
  versionCount,
} from './transferSeed';

let a: Feed;
let b: Feed;
let c: Feed;
const folders: string[] = [];
const folder = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `edgeget-${label}-`));
  folders.push(dir);
  return dir;
};

beforeAll(async () => {
  const started = await Promise.all(['a', 'b', 'c'].map((name) => startFeed({ apiKey: `import-${name}-key` })));
  [a, b, c] = started as [Feed, Feed, Feed];
  await seed(a);
}, 180_000);
afterAll(async () => {
  await Promise.all([a, b, c].map((feed) => feed?.stop()));
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const cli = (feed: Feed, ...args: string[]) => edgeget([...args, '--url', feed.origin, '--admin-key', feed.apiKey]);
describe('edgeget import from a V3 feed', () => {
  it('copies every version through the catalog, byte for byte, with listed state, deprecations and advisories', async () => {
    const result = await cli(b, 'import', '--from', a.source, '--concurrency', '3');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported ${versionCount}, skipped 0 (already present), failed 0.`);
    expect(result.stdout).toContain('Then unlisted 1, relisted 0, deprecated 1; advisories recorded 1.');
    expect(result.stderr).toMatch(new RegExp(`^import: ${versionCount}/${versionCount} \\(`, 'm'));
    await expectSame(a, b);
  });

  it('skips everything on a second run and uploads nothing: the catalog of B does not move', async () => {
    const before = await catalogHead(b);
    const result = await cli(b, 'import', '--from', a.source);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported 0, skipped ${versionCount} (already present), failed 0.`);
    expect(result.stdout).toContain('Then unlisted 0, relisted 0, deprecated 0; advisories recorded 0.');
    expect(await catalogHead(b)).toEqual(before);
  });
});

/**
 * A stand-in for a feed without a catalog (as many hosted feeds are), in front of A: it wants
 * Basic credentials, leaves Catalog/3.0.0 out of the service index, answers the first search 503,
 * and serves registration indexes with stubs only, as feeds do for ids of more than 127 versions.
 */
function catalogLessSource() {
  const seen = { searches: 0, stubs: 0 };
  const stubs = new Map<string, string>();
  const server = createServer(async (request, response) => {
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = request.url ?? '/';
    if (request.headers.authorization !== `Basic ${Buffer.from('mirror:s3cret').toString('base64')}`) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="stand-in"' }).end();
      return;
    }
    if (url.startsWith('/v3/query') && seen.searches++ === 0) {
      response.writeHead(503, 'Try again').end();
      return;
    }
    if (stubs.has(url)) {
      seen.stubs++;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(stubs.get(url));
      return;
    }
    const upstream = await fetch(`${a.origin}${url}`);
    const type = upstream.headers.get('Content-Type') ?? 'application/octet-stream';
    let body: Buffer | string = Buffer.from(await upstream.arrayBuffer());
    if (type.includes('json')) {
      body = body.toString().replaceAll(a.origin, self);
      const document = JSON.parse(body);
      if (url === '/v3/index.json') {
        document.resources = document.resources.filter((r: { '@type': string }) => r['@type'] !== 'Catalog/3.0.0');
      } else if (url.startsWith('/v3/registration-gz-semver2/')) {
        document.items = document.items.map(({ items, parent: _, ...page }: any, n: number) => {
          const path = `/stub${url.replace('index.json', `${n}.json`)}`;
          stubs.set(path, JSON.stringify({ ...page, '@id': `${self}${path}`, items }));
          return { ...page, '@id': `${self}${path}` };
        });
      }
      body = JSON.stringify(document);
    }
    response.writeHead(upstream.status, { 'Content-Type': type }).end(body);
  });
  return new Promise<{ server: Server; source: string; seen: typeof seen }>((done) =>
    server.listen(0, '127.0.0.1', () => {
      const source = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/index.json`;
      done({ server, source, seen });
    }),
  );
}

describe('edgeget import from a feed without a catalog', () => {
  let stand: Awaited<ReturnType<typeof catalogLessSource>>;
  beforeAll(async () => {
    stand = await catalogLessSource();
  });
  afterAll(() => stand?.server.close());

  it('says what to do when the source wants credentials, or is no V3 feed, or is not there', async () => {
    const anonymous = await cli(b, 'import', '--from', stand.source);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain(`${stand.source} answered 401`);
    expect(anonymous.stderr).toContain('it wants credentials: pass --source-credentials user:token');
    const wrong = await cli(b, 'import', '--from', stand.source, '--source-credentials', 'mirror:wrong');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('answered 401 Unauthorized: it refused --source-credentials');
    const gallery = await cli(b, 'import', '--from', `${a.origin}/`);
    expect(gallery.code).toBe(1);
    expect(gallery.stderr).toContain(`${a.origin}/ is not a NuGet V3 service index`);
    const nobody = `http://127.0.0.1:${await freePort()}/v3/index.json`;
    const unreachable = await cli(b, 'import', '--from', nobody);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`could not reach ${nobody} \\(ECONNREFUSED\\), 4 tries`));
    const neither = await cli(b, 'import', '--from', join(tmpdir(), 'no-such-edgeget-folder'));
    expect(neither.stderr).toContain('is neither an http(s) URL of a V3 service index nor a folder');
    const badConcurrency = await cli(b, 'import', '--from', a.source, '--concurrency', '40');
    expect(badConcurrency.stderr).toContain('--concurrency 40: give a whole number from 1 to 16');
  });

  it('finds every version through search and the flat container, reads stub pages, retries a 503', async () => {
    // Relisted by hand on B: the import must read A's state through the stubs and unlist it again.
    const relist = await fetch(`${b.origin}/api/v2/package/Contoso.Mirror/1.1.0`, {
      method: 'POST',
      headers: { 'X-NuGet-ApiKey': b.apiKey },
    });
    expect(relist.ok).toBe(true);
    const result = await cli(b, 'import', '--from', stand.source, '--source-credentials', 'mirror:s3cret');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported 0, skipped ${versionCount} (already present), failed 0.`);
    expect(result.stdout).toContain('Then unlisted 1, relisted 0, deprecated 0; advisories recorded 0.');
    expect(stand.seen.searches).toBeGreaterThanOrEqual(2);
    expect(stand.seen.stubs).toBeGreaterThanOrEqual(Object.keys(expected).length);
    expect((await states(b, 'contoso.mirror'))['1.1.0'].listed).toBe(false);
  });

  it('takes the credentials from EDGEGET_SOURCE_CREDENTIALS, and --listed-only leaves unlisted versions out', async () => {
    const env = { EDGEGET_SOURCE_CREDENTIALS: 'mirror:s3cret' };
    const args = ['import', '--from', stand.source, '--listed-only', '--url', b.origin, '--admin-key', b.apiKey];
    const result = await edgeget(args, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `Importing ${versionCount - 1} versions of ${Object.keys(expected).length} packages`,
    );
  });
});

describe('edgeget export, and import from the folder', () => {
  let exported: string;
  const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('base64');

  it('writes every version in the hierarchical folder layout, with the manifest', async () => {
    exported = join(folder('export'), 'feed');
    const result = await cli(a, 'export', '--to', exported);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Exported ${versionCount}, skipped 0 (already present), failed 0.`);
    for (const [lowerId, versions] of Object.entries(expected)) {
      for (const version of versions) {
        const dir = join(exported, lowerId, version);
        const nupkg = readFileSync(join(dir, `${lowerId}.${version}.nupkg`));
        expect(nupkg).toEqual(await file(a, lowerId, version, 'nupkg'));
        expect(readFileSync(join(dir, `${lowerId}.${version}.nupkg.sha512`), 'utf8')).toBe(sha512(nupkg));
        const entries = unzipSync(nupkg, { filter: (e) => !e.name.includes('/') && e.name.endsWith('.nuspec') });
        expect(readFileSync(join(dir, `${lowerId}.nuspec`))).toEqual(Buffer.from(Object.values(entries)[0]!));
      }
    }
    const symbols = join(exported, 'contoso.symbols', '1.0.0', 'contoso.symbols.1.0.0.snupkg');
    expect(readFileSync(symbols)).toEqual(await file(a, 'contoso.symbols', '1.0.0', 'snupkg'));
    expect(existsSync(join(exported, 'contoso.old', '1.0.0', 'contoso.old.1.0.0.snupkg'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(exported, 'edgeget-export.json'), 'utf8'));
    expect(manifest.packages['contoso.mirror'].versions['1.1.0']).toEqual({ listed: false });
    expect(manifest.packages['contoso.old'].versions['1.0.0'].deprecation).toMatchObject(DEPRECATION);
    expect(manifest.advisories).toEqual([{ ...ADVISORY, id: 'contoso.mirror' }]);
  });

  it('skips what is there with the right hash, and rewrites a version whose files do not match', async () => {
    const nupkg = join(exported, 'contoso.old', '3.0.0', 'contoso.old.3.0.0.nupkg');
    const original = readFileSync(nupkg);
    writeFileSync(nupkg, 'truncated');
    unlinkSync(join(exported, 'contoso.mirror', '1.0.0', 'contoso.mirror.1.0.0.nupkg.sha512'));
    const result = await cli(a, 'export', '--to', exported, '--concurrency', '2');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Exported 2, skipped ${versionCount - 2} (already present), failed 0.`);
    expect(readFileSync(nupkg)).toEqual(original);
  });

  it('imports the folder into a fresh feed with its listed state, deprecations and advisories', async () => {
    const result = await cli(c, 'import', '--from', exported);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported ${versionCount}, skipped 0 (already present), failed 0.`);
    await expectSame(a, c);
    const again = await cli(c, 'import', '--from', exported);
    expect(again.stdout).toContain(`Imported 0, skipped ${versionCount} (already present), failed 0.`);
  });

  it('reads a flat folder, and reports each package it cannot import with the reason, exiting 1', async () => {
    const flat = folder('flat');
    writeFileSync(join(flat, 'contoso.flat.1.0.nupkg'), buildNupkg({ id: 'Contoso.Flat', version: '1.0' }));
    writeFileSync(join(flat, 'broken.1.0.0.nupkg'), 'not a zip');
    const noReadme = buildNupkg({ id: 'Contoso.NoReadme', version: '1.0.0', metadata: '<readme>README.md</readme>' });
    writeFileSync(join(flat, 'contoso.noreadme.1.0.0.nupkg'), noReadme);
    const result = await cli(c, 'import', '--from', flat);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Imported 1, skipped 0 (already present), failed 2.');
    expect(result.stdout).toMatch(/failed {2}.*broken\.1\.0\.0\.nupkg: not a readable \.nupkg/);
    expect(result.stdout).toMatch(
      /failed {2}Contoso\.NoReadme 1\.0\.0: \/api\/v2\/package answered 400 .*README\.md.*does not contain it/,
    );
    expect(result.stderr).toContain('2 failures (listed above); the same command again retries only what is missing');
    expect((await (await fetch(`${c.origin}/v3/flat/contoso.flat/index.json`)).json()).versions).toEqual(['1.0.0']);
  });

  describe.skipIf(!hasDotnet)('with dotnet', () => {
    it('writes the .sha512 and .nuspec that `dotnet nuget push` writes into a folder of this layout', async () => {
      const real = REAL[0] ?? '';
      const [lowerId, version] = real.split('/').slice(-2) as [string, string];
      const pushed = folder('dotnet-push');
      // dotnet writes this layout only into a folder already holding an {id}/{version}/{id}.nuspec.
      mkdirSync(join(pushed, 'contoso.old', '3.0.0'), { recursive: true });
      writeFileSync(join(pushed, 'contoso.old', '3.0.0', 'contoso.old.nuspec'), '<package />');
      const nupkg = join(exported, lowerId, version, `${lowerId}.${version}.nupkg`);
      const push = await dotnet(['nuget', 'push', nupkg, '-s', pushed], { cwd: pushed, packages: folder('pkgs') });
      expect(push.code, describeRun(push)).toBe(0);
      for (const name of [`${lowerId}.${version}.nupkg.sha512`, `${lowerId}.nuspec`, `${lowerId}.${version}.nupkg`]) {
        const theirs = readFileSync(join(pushed, lowerId, version, name));
        expect(readFileSync(join(exported, lowerId, version, name)), name).toEqual(theirs);
      }
    });

    const restores = [
      ['the exported folder', () => `<add key="source" value="${exported}" />`],
      [
        'feed B, imported from A',
        () => `<add key="source" value="${b.origin}/v3/index.json" allowInsecureConnections="true" />`,
      ],
    ] as const;
    it.each(restores)('restores from %s: the bytes pushed to A', async (name, source) => {
      const project = folder(`restore-${name.split(' ')[1]}`);
      writeBoundaryFiles(project);
      const config = `<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear />${source()}</packageSources></configuration>`;
      writeFileSync(join(project, 'NuGet.Config'), config);
      writeConsumer(project, [{ id: 'Contoso.Mirror', version: '[1.0.0]' }], '<NuGetAudit>false</NuGetAudit>');
      const packages = folder(`restore-packages-${name.split(' ')[1]}`);
      const restore = await dotnet(['restore'], { cwd: project, packages });
      expect(restore.code, describeRun(restore)).toBe(0);
      const restored = readFileSync(join(packages, 'contoso.mirror', '1.0.0', 'contoso.mirror.1.0.0.nupkg'));
      expect(restored).toEqual(await file(a, 'contoso.mirror', '1.0.0', 'nupkg'));
    });
  });
});

it('has help for both commands', async () => {
  for (const command of ['import', 'export']) {
    const help = await edgeget([command, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: edgeget ${command} `, 'm'));
    expect(help.stdout).toContain('--concurrency <n>');
  }
});
