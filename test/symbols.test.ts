import { env, exports } from 'cloudflare:workers';
import { strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdbBombSnupkg } from '../bench/lib/pdbBomb.mjs';
import { blobKeys } from '../src/store/blobs';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';
import { PORTABLE_PDB, buildSnupkg, symbolsPush } from './support/snupkg';

const WINDOWS_PDB = strToU8('Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0');

async function stored(lowerId: string, lowerVersion: string): Promise<Uint8Array | null> {
  const object = await env.PACKAGES.get(blobKeys.snupkg(lowerId, lowerVersion));
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

async function uploadsLeft(): Promise<number> {
  return (await env.PACKAGES.list({ prefix: blobKeys.uploadsPrefix })).objects.length;
}

beforeAll(async () => {
  for (const [id, version] of [
    ['Sym.Package', '1.0.0'],
    ['Sym.Package', '2.0.0'],
    ['Sym.Bad', '1.0.0'],
  ] as const) {
    expect((await exports.default.fetch(pushRequest(buildNupkg({ id, version })))).status).toBe(201);
  }
});

describe('symbol package push', () => {
  it('stores a .snupkg with a Portable PDB, matching its package whatever the casing', async () => {
    const bytes = buildSnupkg('SYM.package', '1.0');
    const response = await symbolsPush(bytes);
    expect(response.status, response.statusText).toBe(201);
    expect(await stored('sym.package', '1.0.0')).toEqual(bytes);
    expect(await uploadsLeft()).toBe(0);
  });

  it('accepts the URL without its trailing slash', async () => {
    const response = await symbolsPush(buildSnupkg('Sym.Package', '2.0.0'), TEST_API_KEY, '/api/v2/symbolpackage');
    expect(response.status).toBe(201);
  });

  it('replaces the symbols of a version that has them, as nuget.org does (a re-run CI job)', async () => {
    const again = buildSnupkg('Sym.Package', '1.0.0', { files: { 'lib/net8.0/Other.pdb': PORTABLE_PDB } });
    const response = await symbolsPush(again);
    expect(response.status, response.statusText).toBe(201);
    expect(await stored('sym.package', '1.0.0')).toEqual(again);
    expect((await symbolsPush(again)).status).toBe(201);
    expect(await stored('sym.package', '1.0.0')).toEqual(again);
    expect(await uploadsLeft()).toBe(0);
  });

  it('answers 404 when the package is not on the feed', async () => {
    const response = await symbolsPush(buildSnupkg('Sym.Package', '3.0.0'));
    expect(response.status).toBe(404);
    expect(response.statusText).toMatch(/Package Sym\.Package 3\.0\.0 was not found/);
    expect(await stored('sym.package', '3.0.0')).toBeNull();
    expect(await uploadsLeft()).toBe(0);
  });

  it.each([
    [
      'a Windows (non-portable) PDB',
      buildSnupkg('Sym.Bad', '1.0.0', { files: { 'lib/net8.0/Sym.Bad.pdb': WINDOWS_PDB } }),
      /'lib\/net8\.0\/Sym\.Bad\.pdb' is a Windows PDB.*only Portable PDBs are accepted/,
    ],
    [
      'a .pdb that is no PDB',
      buildSnupkg('Sym.Bad', '1.0.0', { files: { 'lib/net8.0/Sym.Bad.pdb': strToU8('just text') } }),
      /is not a Portable PDB/,
    ],
    [
      'a metadata signature without a #Pdb stream',
      buildSnupkg('Sym.Bad', '1.0.0', { files: { 'lib/net8.0/Sym.Bad.pdb': PORTABLE_PDB.subarray(0, 16) } }),
      /is not a Portable PDB/,
    ],
    [
      'a file type symbols may not carry',
      buildSnupkg('Sym.Bad', '1.0.0', { files: { 'lib/net8.0/Sym.Bad.dll': new Uint8Array(4) } }),
      /not an allowed file type/,
    ],
    [
      'a nuspec without the SymbolsPackage type',
      buildSnupkg('Sym.Bad', '1.0.0', { packageType: 'Dependency' }),
      /must declare the SymbolsPackage/,
    ],
    ['an ordinary package', buildNupkg({ id: 'Sym.Bad', version: '1.0.0' }), /SymbolsPackage|not an allowed file type/],
    ['not a zip', strToU8('not a zip at all, just text'), /not a valid zip archive/],
  ])('answers 400 to %s and stores nothing', async (_name, bytes, message) => {
    const response = await symbolsPush(bytes);
    expect(response.status).toBe(400);
    expect(response.headers.get('X-NuGet-Warning')).toMatch(message);
    expect(await stored('sym.bad', '1.0.0')).toBeNull();
    expect(await uploadsLeft()).toBe(0);
  });

  it('answers 401 without a valid key', async () => {
    for (const apiKey of [null, 'wrong']) {
      const response = await symbolsPush(buildSnupkg('Sym.Bad', '1.0.0'), apiKey);
      expect(response.status).toBe(401);
    }
    expect(await stored('sym.bad', '1.0.0')).toBeNull();
  });
});

describe('symbol push work is bounded by the request, not by what its PDBs inflate to', () => {
  it('checks the key and the package before reading any PDB', async () => {
    const windows = { 'lib/net8.0/Sym.Bad.pdb': WINDOWS_PDB };
    // A Windows PDB would be a 400; the missing package is found first.
    const missing = await symbolsPush(buildSnupkg('Sym.Package', '9.0.0', { files: windows }));
    expect(missing.status, missing.statusText).toBe(404);
    const created = await exports.default.fetch(
      new Request(`${FEED}/admin/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-NuGet-ApiKey': TEST_API_KEY },
        body: JSON.stringify({ name: 'other-ids', scopes: ['push'], ids: ['Other.*'] }),
      }),
    );
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const denied = await symbolsPush(buildSnupkg('Sym.Package', '2.0.0', { files: windows }), key);
    expect(denied.status, denied.statusText).toBe(403);
  });

  it('refuses at once a 1 MB body of PDBs that would inflate to 32 MiB each', async () => {
    const bytes = pdbBombSnupkg('Sym.Package', '2.0.0');
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const response = await symbolsPush(bytes);
    // The central directory declares the sizes: the push is refused before any PDB is inflated.
    expect(response.status, response.statusText).toBe(400);
    expect(response.statusText).toMatch(/holds the PDB 'lib\/net8\.0\/Bomb0\.pdb' of 33554432 bytes/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses PDBs within the budget by their headers, without inflating them', async () => {
    const bytes = pdbBombSnupkg('Sym.Package', '2.0.0', { count: 7, pdbBytes: 16 * 1024 * 1024 });
    const started = Date.now();
    const response = await symbolsPush(bytes);
    // 7 × 16 MiB fit the indexing budget, but the bomb's PDBs have no #Pdb stream: their headers say so.
    expect(response.status, response.statusText).toBe(400);
    expect(response.statusText).toMatch(/is not a Portable PDB/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses more PDBs than a push may hold', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= 500; i++) files[`lib/net8.0/P${i}.pdb`] = PORTABLE_PDB;
    const response = await symbolsPush(buildSnupkg('Sym.Package', '2.0.0', { files }));
    expect(response.status).toBe(400);
    expect(response.statusText).toMatch(/more than 500 \.pdb files/);
  });
});
