/**
 * What the import/export tests seed into feed A and compare its copies with (test/cli/importExport.test.ts):
 * real packages from /opt/nuget/packages and generated ones, an unlisted version, a .snupkg, a
 * deprecation and an advisory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';
import type { Feed } from '../../devkit/feed.mjs';
import { buildNupkg, multipartBody } from '../../devkit/nupkg.mjs';
import { portablePdb } from '../support/portablePdb';

export const REAL = ['xunit/2.9.3', 'xunit.core/2.9.3', 'microsoft.net.test.sdk/18.0.1', 'xunit.abstractions/2.0.3']
  .map((path) => join(process.env.EDGEGET_REAL_PACKAGES ?? '/opt/nuget/packages', path))
  .filter((dir) => existsSync(dir));

/** What A holds, by lower id → lower version (as the flat container names them). */
export const expected: Record<string, string[]> = {
  'contoso.mirror': ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1'],
  'contoso.symbols': ['1.0.0'],
  'contoso.old': ['1.0.0', '3.0.0'],
};
for (const dir of REAL) expected[dir.split('/').at(-2)!] = [dir.split('/').at(-1)!];
export const versionCount = Object.values(expected).flat().length;
export const ADVISORY = {
  id: 'Contoso.Mirror',
  versions: '[1.0.0, 2.0.0)',
  severity: 'high',
  url: 'https://example.com/adv/M-1',
};
export const DEPRECATION = {
  reasons: ['Legacy'],
  message: 'Use 3.0.',
  alternatePackage: { id: 'Contoso.Mirror', range: '*' },
};

export async function put(feed: Feed, path: string, bytes: Uint8Array) {
  const { body, contentType } = multipartBody(bytes);
  const headers = { 'Content-Type': contentType, 'X-NuGet-ApiKey': feed.apiKey };
  const response = await fetch(`${feed.origin}${path}`, { method: 'PUT', headers, body: body as BodyInit });
  expect(response.status, `${path}: ${response.statusText}`).toBe(201);
}

export async function admin(feed: Feed, method: string, path: string, body?: unknown) {
  const headers = { 'X-NuGet-ApiKey': feed.apiKey, 'Content-Type': 'application/json' };
  const json = body === undefined ? undefined : JSON.stringify(body);
  const response = await fetch(`${feed.origin}${path}`, { method, headers, body: json });
  expect(response.ok, `${method} ${path}: ${response.statusText}`).toBe(true);
  return response.json();
}

export function snupkg(id: string, version: string) {
  const nuspec = `<?xml version="1.0" encoding="utf-8"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>${id}</id><version>${version}</version><description>Symbols.</description><packageTypes><packageType name="SymbolsPackage" /></packageTypes></metadata></package>`;
  const pdb = portablePdb('0123456789abcdef0123456789abcdef').bytes;
  return zipSync({ [`${id}.nuspec`]: strToU8(nuspec), [`lib/netstandard2.0/${id}.pdb`]: pdb });
}

export async function seed(feed: Feed) {
  for (const dir of REAL) {
    const [lowerId, version] = dir.split('/').slice(-2);
    await put(feed, '/api/v2/package', readFileSync(join(dir!, `${lowerId}.${version}.nupkg`)));
  }
  for (const version of ['1.0.0', '1.1.0', '1.2.0+sha.5e1f', '2.0.0-beta.1']) {
    await put(feed, '/api/v2/package', buildNupkg({ id: 'Contoso.Mirror', version }));
  }
  await put(feed, '/api/v2/package', buildNupkg({ id: 'Contoso.Symbols', version: '1.0.0' }));
  await put(feed, '/api/v2/symbolpackage', snupkg('Contoso.Symbols', '1.0.0'));
  for (const version of ['1.0.0', '3.0'])
    await put(feed, '/api/v2/package', buildNupkg({ id: 'Contoso.Old', version }));
  const unlisted = await fetch(`${feed.origin}/api/v2/package/Contoso.Mirror/1.1.0`, {
    method: 'DELETE',
    headers: { 'X-NuGet-ApiKey': feed.apiKey },
  });
  expect(unlisted.ok).toBe(true);
  await admin(feed, 'POST', '/admin/deprecations', { id: 'Contoso.Old', versions: '1.0.0', ...DEPRECATION });
  await admin(feed, 'PUT', '/admin/advisories', ADVISORY);
}

export const bytesOf = async (url: string) => {
  const response = await fetch(url);
  return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : null;
};
export const file = (feed: Feed, lowerId: string, version: string, kind: string) =>
  bytesOf(`${feed.origin}/v3/flat/${lowerId}/${version}/${lowerId}.${version}.${kind}`);

/** Per version: listed and deprecation, from the SemVer 2 registration hive. */
export async function states(feed: Feed, lowerId: string) {
  const index = await (await fetch(`${feed.origin}/v3/registration-gz-semver2/${lowerId}/index.json`)).json();
  const leaves = [];
  for (const page of index.items) leaves.push(...(page.items ?? (await (await fetch(page['@id'])).json()).items));
  return Object.fromEntries(
    leaves.map(({ catalogEntry: e }: any) => [e.version, { listed: e.listed, deprecation: e.deprecation ?? null }]),
  );
}

export const advisories = async (feed: Feed) =>
  (await admin(feed, 'GET', '/admin/advisories')).advisories.map(({ id, url, versions, severity }: any) => ({
    id,
    url,
    versions,
    severity,
  }));

/** `copy` holds every version of `a`: the same version lists, bytes, .snupkg, listed state, deprecations and advisories. */
export async function expectSame(a: Feed, copy: Feed) {
  for (const [lowerId, versions] of Object.entries(expected)) {
    const flat = await (await fetch(`${copy.origin}/v3/flat/${lowerId}/index.json`)).json();
    expect(flat.versions.sort(), lowerId).toEqual([...versions].sort());
    for (const version of versions) {
      for (const kind of ['nupkg', 'snupkg']) {
        const original = await file(a, lowerId, version, kind);
        if (kind === 'nupkg') expect(original, `${lowerId} ${version} on A`).not.toBeNull();
        expect(await file(copy, lowerId, version, kind), `${lowerId} ${version} .${kind}`).toEqual(original);
      }
    }
    expect(await states(copy, lowerId), lowerId).toEqual(await states(a, lowerId));
  }
  expect(await file(copy, 'contoso.symbols', '1.0.0', 'snupkg')).not.toBeNull();
  expect((await states(copy, 'contoso.mirror'))['1.1.0'].listed).toBe(false);
  expect((await states(copy, 'contoso.old'))['1.0.0'].deprecation).toMatchObject(DEPRECATION);
  expect(await advisories(copy)).toEqual([{ ...ADVISORY, id: 'contoso.mirror' }]);
}

export const catalogHead = async (feed: Feed) => {
  const { commitTimeStamp, count } = await (await fetch(`${feed.origin}/v3/catalog/index.json`)).json();
  return { commitTimeStamp, count };
};
