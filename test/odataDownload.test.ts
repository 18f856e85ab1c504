/**
 * The V2 download URL an entry's content/@src names serves the pushed .nupkg, the flat
 * container's bytes, and counts as a download; PackageHash is their SHA-512. GET of push's URL
 * is 405, never 404 (Register-PSRepository probes it). A private feed challenges V2 reads too.
 */
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadCounterOf } from '../src/downloadCounter';
import type { Env } from '../src/env';
import worker from '../src/index';
import { v2Feed, v2Get } from './support/odataFeed';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';

const nupkg = buildNupkg({
  id: 'OData.Download',
  version: '1.0',
  metadata: '<tags>PSModule odata</tags><dependencies><dependency id="OData.Core" version="2.0.0" /></dependencies>',
});

const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

beforeAll(async () => {
  const pushed = await exports.default.fetch(pushRequest(nupkg));
  expect(pushed.status).toBe(201);
});

describe('the V2 download', () => {
  it('serves the pushed bytes at content/@src, hashed as PackageHash says', async () => {
    const [entry] = (await v2Feed("FindPackagesById()?id='OData.Download'&$skip=0&$top=40")).entries;
    expect(entry?.contentSrc).toBe(`${FEED}/api/v2/package/OData.Download/1.0.0`);
    expect(entry?.properties.Dependencies).toBe('OData.Core:[2.0.0, ):');
    expect(entry?.properties.Tags).toBe('PSModule odata');
    const download = await v2Get(entry!.contentSrc);
    expect(download.status).toBe(200);
    const bytes = await download.arrayBuffer();
    expect(new Uint8Array(bytes)).toEqual(nupkg);
    expect(entry?.properties.PackageHash).toBe(base64(await crypto.subtle.digest('SHA-512', bytes)));
    expect(entry?.properties.PackageHashAlgorithm).toBe('SHA512');
    expect(entry?.properties.PackageSize).toBe(String(nupkg.length));
    const flat = await v2Get(`${FEED}/v3/flat/odata.download/1.0.0/odata.download.1.0.0.nupkg`);
    expect(new Uint8Array(await flat.arrayBuffer())).toEqual(nupkg);
  });

  it('reads the id and version in any case and form; 404 for a version not there', async () => {
    for (const path of ['package/odata.DOWNLOAD/1.0', 'package/OData.Download/1.0.0.0/']) {
      const response = await v2Get(path);
      expect(response.status, path).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(nupkg);
    }
    const head = await v2Get('package/OData.Download/1.0.0', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(nupkg.length));
    expect((await v2Get('package/OData.Download/2.0.0')).status).toBe(404);
    expect((await v2Get('package/OData.Download/not-a-version')).status).toBe(404);
  });

  it('counts a V2 download like a flat-container one', async () => {
    const counter = downloadCounterOf(env.DOWNLOADS, 'odata.download');
    const flush = async () => {
      for (let ran = 0; ran < 10 && (await runDurableObjectAlarm(counter)); ran++);
    };
    const counted = async () =>
      Number((await v2Feed("FindPackagesById()?id='OData.Download'")).entries[0]?.properties.VersionDownloadCount);
    await flush();
    const before = await counted();
    const ctx = createExecutionContext();
    await worker.fetch(new Request(`${FEED}/api/v2/package/OData.Download/1.0.0`), env, ctx);
    await waitOnExecutionContext(ctx);
    await flush();
    expect(await counted()).toBe(before + 1);
  });

  it('answers GET of the push URL with 405 and Allow: PUT', async () => {
    for (const path of ['package', 'package/']) {
      const response = await v2Get(path);
      expect(response.status, path).toBe(405);
      expect(response.headers.get('Allow')).toBe('PUT');
    }
  });
});

describe('a private feed', () => {
  const privateEnv: Env = { ...env, PRIVATE_FEED: 'true' };
  async function send(path: string, authorization?: string): Promise<Response> {
    const ctx = createExecutionContext();
    const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
    const response = await worker.fetch(new Request(`${FEED}${path}`, { headers }), privateEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }
  const paths = [
    '/api/v2',
    '/api/v2/',
    '/api/v2/$metadata',
    "/api/v2/FindPackagesById()?id='OData.Download'",
    '/api/v2/package/OData.Download/1.0.0',
    '/api/v2/package/',
  ];

  it('challenges every V2 read without credentials, and serves it with them', async () => {
    for (const path of paths) {
      const anonymous = await send(path);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('WWW-Authenticate'), path).toMatch(/^Basic /);
    }
    const basic = `Basic ${btoa(`anyone:${TEST_API_KEY}`)}`;
    const root = await send('/api/v2/', basic);
    expect(root.status).toBe(200);
    expect((await root.text()).startsWith('<?xml')).toBe(true);
    expect((await send("/api/v2/FindPackagesById()?id='OData.Download'", basic)).status).toBe(200);
    expect((await send('/api/v2/package/OData.Download/1.0.0', basic)).status).toBe(200);
  });
});
