/**
 * The symbol server (SSQP): PDBs indexed from pushed .nupkg and .snupkg files, asked for by the
 * key a debugger derives from a DLL, answered 200 or 404 and nothing else on a public feed.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import worker from '../src/index';
import { feedLinks } from '../src/links';
import { repairFeed } from '../src/documents/repair';
import { blobKeys } from '../src/store/blobs';
import { replaceSymbolFiles } from '../src/store/symbols';
import { buildNupkg, FEED, multipartBody, pushRequest, TEST_API_KEY } from './support/nupkg';
import { checksumOf, portablePdb, symbolPath } from './support/portablePdb';

const LIB = portablePdb('5891a35f969f4b8e937f1882bf089f12');
const NET8 = portablePdb('11111111222233334444555555555555', '00000001');
const NET10 = portablePdb('aaaaaaaabbbbccccddddeeeeeeeeeeee', '00000002');
const REPLACED = portablePdb('cccccccc000011112222333333333333', '00000003');
const WINDOWS_PDB = strToU8('Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0');

function snupkg(id: string, version: string, files: Record<string, Uint8Array>): Uint8Array {
  const nuspec = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata><id>${id}</id><version>${version}</version><description>Symbols.</description>
    <packageTypes><packageType name="SymbolsPackage" /></packageTypes></metadata>
</package>`;
  return zipSync({ [`${id}.nuspec`]: strToU8(nuspec), ...files });
}

async function pushSymbols(bytes: Uint8Array): Promise<Response> {
  const { body, contentType } = multipartBody(bytes);
  const headers = { 'Content-Type': contentType, 'X-NuGet-ApiKey': TEST_API_KEY };
  return exports.default.fetch(new Request(`${FEED}/api/v2/symbolpackage/`, { method: 'PUT', headers, body }));
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return exports.default.fetch(new Request(`${FEED}${path}`, { method, headers }));
}

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

async function symbolBlobCount(guid: string): Promise<number> {
  return (await env.PACKAGES.list({ prefix: `${blobKeys.symbolsPrefix}${guid}` })).objects.length;
}

const SYM_SNUPKG = snupkg('Ssqp.Sym', '1.0.0', {
  'lib/net8.0/Ssqp.Sym.pdb': NET8.bytes,
  'lib/net10.0/Ssqp.Sym.pdb': NET10.bytes,
});

beforeAll(async () => {
  const lib = buildNupkg({
    id: 'Ssqp.Lib',
    version: '1.0.0',
    files: {
      'lib/net10.0/Ssqp.Lib.dll': new Uint8Array(16),
      'lib/net10.0/Ssqp.Lib.pdb': LIB.bytes,
      'lib/net10.0/Native.pdb': WINDOWS_PDB,
      'lib/net10.0/Broken.pdb': strToU8('not a pdb'),
    },
  });
  for (const bytes of [lib, buildNupkg({ id: 'Ssqp.Sym', version: '1.0.0' })]) {
    const pushed = await exports.default.fetch(pushRequest(bytes));
    expect(pushed.status, pushed.statusText).toBe(201);
    expect(pushed.headers.get('X-NuGet-Warning')).toBeNull();
  }
  const symbols = await pushSymbols(SYM_SNUPKG);
  expect(symbols.status, symbols.statusText).toBe(201);
});

describe('serving PDBs by SSQP key', () => {
  it('serves a Portable PDB a .nupkg carries beside its DLL, as an immutable octet stream', async () => {
    const response = await get(symbolPath('Ssqp.Lib.pdb', LIB.guid));
    expect(response.status).toBe(200);
    expect(await bytesOf(response)).toEqual(LIB.bytes);
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(response.headers.get('Cache-Control')).toMatch(/immutable/);
    expect(response.headers.get('ETag')).toMatch(/^"/);
    const again = await get(symbolPath('Ssqp.Lib.pdb', LIB.guid), { 'If-None-Match': response.headers.get('ETag')! });
    expect(again.status).toBe(304);
  });

  it("serves every PDB of a .snupkg, one per target framework, and the link shape is feedLinks'", async () => {
    for (const pdb of [NET8, NET10]) {
      expect(await bytesOf(await get(symbolPath('Ssqp.Sym.pdb', pdb.guid)))).toEqual(pdb.bytes);
    }
    const url = feedLinks(FEED).symbolFile('ssqp.sym.pdb', `${NET8.guid}ffffffff`);
    expect(url).toBe(`${FEED}${symbolPath('ssqp.sym.pdb', NET8.guid, 'ffffffff')}`);
    expect(feedLinks(FEED).symbolServer).toBe(`${FEED}/download/symbols`);
  });

  it('matches keys case-insensitively and whatever age follows the GUID', async () => {
    for (const [file, guid, age] of [
      ['ssqp.lib.pdb', LIB.guid, 'FFFFFFFF'],
      ['SSQP.Lib.PDB', LIB.guid.toUpperCase(), 'ffffffff'],
      ['ssqp.lib.pdb', LIB.guid, '1'],
      ['ssqp.lib.pdb', LIB.guid, LIB.stamp],
    ] as const) {
      const response = await get(`/download/symbols/${file}/${guid}${age}/${file.toLowerCase()}`);
      expect(response.status, `${file} ${guid}${age}`).toBe(200);
      expect(await bytesOf(response)).toEqual(LIB.bytes);
    }
  });

  it('answers 404, never 400 or 403, to every miss and malformed key, GET and HEAD alike', async () => {
    const guid = LIB.guid;
    for (const path of [
      symbolPath('ssqp.lib.pdb', 'ffffffffffffffffffffffffffffffff'),
      symbolPath('other.pdb', guid),
      `/download/symbols/ssqp.lib.pdb/${guid}FFFFFFFF/other.pdb`,
      `/download/symbols/ssqp.lib.pd_/${guid}FFFFFFFF/ssqp.lib.pd_`,
      `/download/symbols/ssqp.lib.pdb/${guid}FFFFFFFF/file.ptr`,
      `/download/symbols/ssqp.lib.pdb/${guid}/ssqp.lib.pdb`,
      `/download/symbols/ssqp.lib.pdb/${guid}zz/ssqp.lib.pdb`,
      '/download/symbols/ssqp.lib.dll/C99CC1D38000/ssqp.lib.dll',
      `/download/symbols/%E0%A4%A/${guid}FFFFFFFF/%E0%A4%A`,
      `/download/symbols/prefix/ssqp.lib.pdb/${guid}FFFFFFFF/ssqp.lib.pdb`,
      `/download/symbols/ssqp.lib.pdb/${guid}FFFFFFFF`,
      symbolPath('native.pdb', guid),
      symbolPath('broken.pdb', guid),
    ]) {
      for (const method of ['GET', 'HEAD']) {
        expect((await get(path, {}, method)).status, `${method} ${path}`).toBe(404);
      }
    }
  });

  it('checks SymbolChecksum when the client sends one: absent or matching 200, wrong 404', async () => {
    const path = symbolPath('ssqp.lib.pdb', LIB.guid);
    const checksum = await checksumOf(LIB);
    const wrong = 'ab'.repeat(32);
    expect((await get(path, { SymbolChecksum: `SHA256:${checksum}` })).status).toBe(200);
    expect((await get(path, { SymbolChecksum: `SHA256:${wrong};SHA256:${checksum.toUpperCase()}` })).status).toBe(200);
    expect((await get(path, { SymbolChecksum: `SHA256:${wrong}` })).status).toBe(404);
    expect((await get(path, { SymbolChecksum: `SHA256:${wrong}` }, 'HEAD')).status).toBe(404);
    expect((await get(path, { SymbolChecksum: 'nonsense' })).status).toBe(404);
  });

  it('answers HEAD from metadata and a Range with 206', async () => {
    const path = symbolPath('ssqp.lib.pdb', LIB.guid);
    const head = await get(path, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(LIB.bytes.length));
    expect(await head.text()).toBe('');
    const range = await get(path, { Range: 'bytes=0-3' });
    expect(range.status).toBe(206);
    expect(range.headers.get('Content-Range')).toBe(`bytes 0-3/${LIB.bytes.length}`);
    expect(new TextDecoder().decode(await bytesOf(range))).toBe('BSJB');
  });
});

describe('the .snupkg in the flat container', () => {
  it('serves the pushed .snupkg beside the .nupkg, and 404 for a version without one', async () => {
    const response = await get('/v3/flat/ssqp.sym/1.0.0/ssqp.sym.1.0.0.snupkg');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(await bytesOf(response)).toEqual(SYM_SNUPKG);
    expect(feedLinks(FEED).symbolPackage('ssqp.sym', '1.0.0')).toBe(
      `${FEED}/v3/flat/ssqp.sym/1.0.0/ssqp.sym.1.0.0.snupkg`,
    );
    expect((await get('/v3/flat/ssqp.sym/1.0.0/ssqp.sym.1.0.0.snupkg', {}, 'HEAD')).status).toBe(200);
    expect((await get('/v3/flat/ssqp.lib/1.0.0/ssqp.lib.1.0.0.snupkg')).status).toBe(404);
  });
});

describe('changes to a version with symbols', () => {
  it('keeps serving symbols of an unlisted version, and after relisting it', async () => {
    const path = symbolPath('ssqp.lib.pdb', LIB.guid);
    const listing = (method: string) =>
      exports.default.fetch(
        new Request(`${FEED}/api/v2/package/Ssqp.Lib/1.0.0`, { method, headers: { 'X-NuGet-ApiKey': TEST_API_KEY } }),
      );
    expect((await listing('DELETE')).status).toBe(204);
    expect((await get(path)).status).toBe(200);
    expect((await listing('POST')).status).toBe(200);
    expect((await get(path)).status).toBe(200);
  });

  it('stores a PDB pushed in several packages once', async () => {
    const pushed = await exports.default.fetch(
      pushRequest(
        buildNupkg({ id: 'Ssqp.Bundler', version: '1.0.0', files: { 'lib/net10.0/Ssqp.Lib.pdb': LIB.bytes } }),
      ),
    );
    expect(pushed.status).toBe(201);
    expect(await symbolBlobCount(LIB.guid)).toBe(1);
    expect((await get(symbolPath('ssqp.lib.pdb', LIB.guid))).status).toBe(200);
  });

  it('replaces the symbols of a re-pushed .snupkg: the old keys answer 404, the new ones 200', async () => {
    expect((await pushSymbols(SYM_SNUPKG)).status).toBe(201);
    expect(await symbolBlobCount(NET8.guid)).toBe(1);
    const again = snupkg('Ssqp.Sym', '1.0.0', { 'lib/net8.0/Ssqp.Sym.pdb': REPLACED.bytes });
    expect((await pushSymbols(again)).status).toBe(201);
    for (const gone of [NET8, NET10]) expect((await get(symbolPath('ssqp.sym.pdb', gone.guid))).status).toBe(404);
    expect(await bytesOf(await get(symbolPath('ssqp.sym.pdb', REPLACED.guid)))).toEqual(REPLACED.bytes);
    // A replaced blob younger than an hour may be a concurrent push's, between its blob and its row: it stays.
    expect(await symbolBlobCount(NET8.guid)).toBe(1);
  });

  it('removes blobs no row names any more once they are older than a push takes', async () => {
    const version = { lowerId: 'ssqp.sym', lowerVersion: '1.0.0' };
    const files = [
      {
        ...NET10,
        path: 'lib/net10.0/Ssqp.Sym.pdb',
        fileName: 'ssqp.sym.pdb',
        checksum: await checksumOf(NET10),
        size: NET10.bytes.length,
      },
    ];
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    // REPLACED is named only by the rows this replaces; LIB's blob, not named here, is untouched.
    await replaceSymbolFiles(env.DB, env.PACKAGES, version, 'snupkg', files, later);
    expect(await symbolBlobCount(REPLACED.guid)).toBe(0);
    expect(await symbolBlobCount(NET10.guid)).toBe(1);
    expect(await symbolBlobCount(LIB.guid)).toBe(1);
  });

  it('leaves the repair pass to delete old PDB blobs no row names, and keeps the named ones', async () => {
    const stray = blobKeys.symbol('0123456789abcdef0123456789abcdef', '00000009', 'deadbeef');
    await env.PACKAGES.put(stray, 'a PDB whose push died before its row');
    await repairFeed(env, new Date());
    expect(await env.PACKAGES.head(stray)).not.toBeNull(); // young: a push may still be writing its row
    await repairFeed(env, new Date(Date.now() + 2 * 60 * 60 * 1000));
    expect(await env.PACKAGES.head(stray)).toBeNull();
    expect(await symbolBlobCount(LIB.guid)).toBe(1);
    expect((await get(symbolPath('Ssqp.Lib.pdb', LIB.guid))).status).toBe(200);
  });

  it('warns, and still publishes, when a .nupkg carries more PDB bytes than a push indexes', async () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1);
    big.set(portablePdb('dddddddd000011112222333333333333').bytes);
    const pushed = await exports.default.fetch(
      pushRequest(buildNupkg({ id: 'Ssqp.Big', version: '1.0.0', files: { 'lib/net10.0/Big.pdb': big } })),
    );
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('X-NuGet-Warning')).toMatch(/1 PDB\(s\) in the package were not indexed/);
    expect((await get(symbolPath('big.pdb', 'dddddddd000011112222333333333333'))).status).toBe(404);
  });
});

describe('symbols on a private feed', () => {
  const privateEnv: Env = { ...env, PRIVATE_FEED: 'true' };
  async function send(headers: Record<string, string>, path = symbolPath('ssqp.lib.pdb', LIB.guid)) {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${FEED}${path}`, { headers }), privateEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  it('needs the credentials every read needs, and keeps the answer out of shared caches', async () => {
    const anonymous = await send({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
    // dotnet-symbol --authenticated-server-path sends the token as the password of an empty user.
    const authorized = await send({ Authorization: `Basic ${btoa(`:${TEST_API_KEY}`)}` });
    expect(authorized.status).toBe(200);
    expect(authorized.headers.get('Cache-Control')).toMatch(/^private/);
    expect(await bytesOf(authorized)).toEqual(LIB.bytes);
    const miss = await send({ Authorization: `Basic ${btoa(`:${TEST_API_KEY}`)}` }, symbolPath('none.pdb', LIB.guid));
    expect(miss.status).toBe(404);
  });
});
