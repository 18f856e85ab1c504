/**
 * Package files from R2 on the restore path (issue "Edge speed", protocol §3.3): one R2 read and
 * no D1 query, immutable caching, 304 on the ETag, HEAD from R2 head() with no body read, and
 * single byte ranges (RFC 9110 §14).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestedRange } from '../src/store/blobResponse';
import { blobKeys } from '../src/store/blobs';
import { fetchCounted } from './support/countedFetch';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const nupkg = new Uint8Array(Array.from({ length: 40 }, (_, i) => i));
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  await env.PACKAGES.put(blobKeys.nupkg('edge.pkg', '1.0.0'), nupkg);
  await env.PACKAGES.put(blobKeys.nuspec('edge.pkg', '1.0.0'), '<package />');
  await env.PACKAGES.put(blobKeys.readme('edge.pkg', '1.0.0'), '# Edge\n');
  await env.PACKAGES.put(blobKeys.icon('edge.pkg', '1.0.0'), png, { httpMetadata: { contentType: 'image/png' } });
});

describe('package files', () => {
  const folder = '/v3/flat/edge.pkg/1.0.0/';
  const files = [
    ['edge.pkg.1.0.0.nupkg', blobKeys.nupkg, 'application/octet-stream', nupkg.length],
    ['edge.pkg.nuspec', blobKeys.nuspec, 'application/xml', 11],
    ['readme', blobKeys.readme, 'text/markdown; charset=utf-8', 7],
    ['icon', blobKeys.icon, 'image/png', png.length],
  ] as const;

  it.each(files)('%s: one R2 read, immutable, 304 on its ETag, HEAD without a body', async (file, key, type, size) => {
    const stored = (await env.PACKAGES.head(key('edge.pkg', '1.0.0')))!;
    const got = await fetchCounted(folder + file);
    expect(got.response.status).toBe(200);
    expect(got.calls).toEqual(['PACKAGES.get']);
    expect(got.body.length).toBe(size);
    expect(got.response.headers.get('Cache-Control')).toBe(IMMUTABLE);
    expect(got.response.headers.get('Content-Type')).toBe(type);
    const etag = got.response.headers.get('ETag')!;
    expect(etag).toBe(stored.httpEtag);

    const revalidated = await fetchCounted(folder + file, { headers: { 'If-None-Match': `"x", ${etag}` } });
    expect([revalidated.response.status, revalidated.calls]).toEqual([304, ['PACKAGES.get']]);
    expect(revalidated.response.headers.get('Cache-Control')).toBe(IMMUTABLE);

    const head = await fetchCounted(folder + file, { method: 'HEAD' });
    expect([head.response.status, head.body.length, head.calls]).toEqual([200, 0, ['PACKAGES.head']]);
    expect(head.response.headers.get('Content-Length')).toBe(String(size));
    expect(head.response.headers.get('ETag')).toBe(etag);
    expect(head.response.headers.get('Content-Type')).toBe(type);
    const headRevalidated = await fetchCounted(folder + file, { method: 'HEAD', headers: { 'If-None-Match': etag } });
    expect(headRevalidated.response.status).toBe(304);
  });

  it('answers HEAD of a missing file with 404 from one head()', async () => {
    const head = await fetchCounted(`${folder}missing.nupkg`, { method: 'HEAD' });
    expect([head.response.status, head.calls]).toEqual([404, []]);
    const absent = await fetchCounted('/v3/flat/edge.pkg/9.9.9/edge.pkg.9.9.9.nupkg', { method: 'HEAD' });
    expect([absent.response.status, absent.calls]).toEqual([404, ['PACKAGES.head']]);
  });
});

describe('Range on .nupkg', () => {
  const path = '/v3/flat/edge.pkg/1.0.0/edge.pkg.1.0.0.nupkg';
  const ranged = (range: string, headers: Record<string, string> = {}) =>
    fetchCounted(path, { headers: { Range: range, ...headers } });

  it.each([
    ['bytes=2-4', 2, 4],
    ['bytes=30-', 30, 39],
    ['bytes=-5', 35, 39],
    ['bytes=0-1000', 0, 39],
    ['bytes=-100', 0, 39],
  ])('%s → 206 with Content-Range', async (range, first, last) => {
    const got = await ranged(range);
    expect(got.response.status).toBe(206);
    expect(got.calls).toEqual(['PACKAGES.get']);
    expect(got.response.headers.get('Content-Range')).toBe(`bytes ${first}-${last}/40`);
    expect(got.response.headers.get('Content-Length')).toBe(String(last - first + 1));
    expect(got.response.headers.get('Accept-Ranges')).toBe('bytes');
    expect([...got.body]).toEqual([...nupkg.slice(first, last + 1)]);
  });

  it.each(['bytes=40-', 'bytes=100-200', 'bytes=-0'])('%s → 416 naming the size', async (range) => {
    const got = await ranged(range);
    expect(got.response.status).toBe(416);
    expect(got.response.headers.get('Content-Range')).toBe('bytes */40');
  });

  it.each(['bytes=0-1,5-6', 'bytes=5-2', 'items=0-1', 'bytes=abc'])('%s → 200 with the whole file', async (range) => {
    const got = await ranged(range);
    expect([got.response.status, got.body.length]).toEqual([200, 40]);
  });

  it('serves the whole file when If-Range is sent, and 304 before any range', async () => {
    expect((await ranged('bytes=0-1', { 'If-Range': '"old"' })).response.status).toBe(200);
    const etag = (await fetchCounted(path)).response.headers.get('ETag')!;
    expect((await ranged('bytes=0-1', { 'If-None-Match': etag })).response.status).toBe(304);
  });
});

describe('requestedRange', () => {
  it('reads one bytes range; ignores the rest', () => {
    expect(requestedRange('bytes=0-0')).toEqual({ offset: 0, length: 1 });
    expect(requestedRange('Bytes = 7 - ')).toEqual({ offset: 7 });
    expect(requestedRange('bytes=-3')).toEqual({ suffix: 3 });
    expect(requestedRange('bytes=-0')).toBe('unsatisfiable');
    for (const ignored of [null, '', 'bytes=-', 'bytes=1-2,4-5', 'bytes=99999999999999999999-']) {
      expect(requestedRange(ignored)).toBeNull();
    }
  });
});
