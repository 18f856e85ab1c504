import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocuments } from '../src/documents/rebuild';
import { blobKeys } from '../src/store/blobs';
import { insertVersionStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const nupkg = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function get(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(FEED + path, init));
}

beforeAll(async () => {
  const records = [
    versionRecord('Contoso.Flat', '2.0.0+meta', { lowerVersion: '2.0.0', isSemVer2: true }),
    versionRecord('Contoso.Flat', '1.0.0'),
    versionRecord('Contoso.Flat', '1.0.0-Beta', { listed: false }),
    versionRecord('Contoso.Flat', '1.1.0-rc.1'),
    versionRecord('Contoso.Flat', '1.10.0'),
    versionRecord('Contoso.Flat', '1.2.0'),
  ];
  await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
  await rebuildDocuments(env, 'contoso.flat');
  await env.PACKAGES.put(blobKeys.nupkg('contoso.flat', '1.0.0'), nupkg);
  await env.PACKAGES.put(blobKeys.nuspec('contoso.flat', '1.0.0'), '<package />');
  await env.PACKAGES.put(blobKeys.readme('contoso.flat', '1.0.0'), '# Flat\n');
  await env.PACKAGES.put(blobKeys.icon('contoso.flat', '1.0.0'), png, { httpMetadata: { contentType: 'image/png' } });
  await env.PACKAGES.put(blobKeys.nupkg('contoso.flat', '2.0.0'), nupkg);
});

describe('GET {base}{lowerId}/index.json (§3.2)', () => {
  it('lists every version, lowercase normalized, ascending', async () => {
    const response = await get('/v3/flat/contoso.flat/index.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      versions: ['1.0.0-beta', '1.0.0', '1.1.0-rc.1', '1.2.0', '1.10.0', '2.0.0'],
    });
  });

  it('accepts any casing of the id, and 404s an unknown id with a JSON body', async () => {
    expect((await get('/v3/flat/Contoso.Flat/index.json')).status).toBe(200);
    const missing = await get('/v3/flat/no.such.package/index.json');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toContain('application/json');
    expect(await missing.json()).toHaveProperty('error');
  });
});

describe('GET {base}{lowerId}/{version}/{file} (§3.1, §3.3)', () => {
  it('streams the exact .nupkg bytes with length and ETag', async () => {
    const stored = await env.PACKAGES.head(blobKeys.nupkg('contoso.flat', '1.0.0'));
    const response = await get('/v3/flat/contoso.flat/1.0.0/contoso.flat.1.0.0.nupkg');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(response.headers.get('Content-Length')).toBe(String(nupkg.length));
    expect(response.headers.get('ETag')).toBe(stored!.httpEtag);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(nupkg);
  });

  it.each([
    ['contoso.flat.nuspec', 'application/xml', '<package />'],
    ['readme', 'text/markdown; charset=utf-8', '# Flat\n'],
  ])('serves %s as %s', async (file, contentType, body) => {
    const response = await get(`/v3/flat/contoso.flat/1.0.0/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(contentType);
    expect(await response.text()).toBe(body);
  });

  it('serves the icon with its stored content type', async () => {
    const response = await get('/v3/flat/contoso.flat/1.0.0/icon');
    expect(response.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it('normalizes id, version and file name leniently', async () => {
    for (const path of [
      '/v3/flat/Contoso.Flat/1.0.0.0/Contoso.Flat.1.0.0.0.nupkg',
      '/v3/flat/contoso.flat/1.0/contoso.flat.1.0.0.nupkg',
      '/v3/flat/contoso.flat/2.0.0+meta/contoso.flat.2.0.0.nupkg',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(nupkg);
    }
  });

  it('404s unknown files, versions and blobs', async () => {
    for (const path of [
      '/v3/flat/contoso.flat/1.0.0/contoso.flat.1.0.0.snupkg',
      '/v3/flat/contoso.flat/1.0.0/other.1.0.0.nupkg',
      '/v3/flat/contoso.flat/not-a-version/contoso.flat.not-a-version.nupkg',
      '/v3/flat/contoso.flat/9.9.9/contoso.flat.9.9.9.nupkg',
      '/v3/flat/contoso.flat/2.0.0/readme',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      await response.body?.cancel();
    }
  });

  it('answers HEAD with the headers only, and If-None-Match with 304', async () => {
    const path = '/v3/flat/contoso.flat/1.0.0/contoso.flat.1.0.0.nupkg';
    const head = await get(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(nupkg.length));
    const etag = head.headers.get('ETag')!;
    const cached = await get(path, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('ETag')).toBe(etag);
  });
});
