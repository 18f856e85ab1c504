/**
 * Download counts (protocol §5.3) are counted off the request path: a download hands its count to
 * a Durable Object and makes no D1 call; the object's alarms save the counts and then add them to
 * D1 in one batch (the object's own steps: test/downloadCounter.test.ts).
 */
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadCounterOf } from '../src/downloadCounter';
import type { SearchResponse } from '../src/nuget/search';
import { rebuildDocuments } from '../src/documents/rebuild';
import { blobKeys } from '../src/store/blobs';
import { insertVersionStatements } from '../src/store/packages';
import { d1Calls, fetchCounted } from './support/countedFetch';
import { versionRecord } from './support/records';

const nupkg = new Uint8Array(Array.from({ length: 20 }, (_, i) => i));

/** A request through the Worker (its count sent); `d1Calls` counts its D1 use on the request path. */
async function fetchWorker(path: string, init: RequestInit = {}): Promise<{ status: number; d1Calls: number }> {
  const { response, calls } = await fetchCounted(path, init);
  return { status: response.status, d1Calls: d1Calls(calls).length };
}

const nupkgPath = (version: string) => `/v3/flat/counted.pkg/${version}/counted.pkg.${version}.nupkg`;

/** Runs the counter's alarms (a save, then the flush it schedules) until none is left; true when any ran. */
async function flush(lowerId: string): Promise<boolean> {
  let ran = 0;
  while (ran < 10 && (await runDurableObjectAlarm(downloadCounterOf(env.DOWNLOADS, lowerId)))) ran++;
  return ran > 0;
}

async function searchCounted(): Promise<{ total: number; versions: Record<string, number> }> {
  const { body } = await fetchCounted('/v3/query?q=packageid:Counted.Pkg&prerelease=true');
  const hit = (JSON.parse(new TextDecoder().decode(body)) as SearchResponse).data[0]!;
  return { total: hit.totalDownloads, versions: Object.fromEntries(hit.versions.map((v) => [v.version, v.downloads])) };
}

beforeAll(async () => {
  const records = ['1.0.0', '2.0.0'].map((version) => versionRecord('Counted.Pkg', version));
  await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
  await rebuildDocuments(env, 'counted.pkg');
  for (const version of ['1.0.0', '2.0.0']) await env.PACKAGES.put(blobKeys.nupkg('counted.pkg', version), nupkg);
});

describe('download counts', () => {
  it('counts downloads without touching D1 on the request, and shows them in search after a flush', async () => {
    const requests: [string, RequestInit?][] = [
      [nupkgPath('1.0.0')],
      [nupkgPath('1.0.0')],
      [nupkgPath('1.0.0'), { headers: { Range: 'bytes=0-9' } }],
      [nupkgPath('2.0.0')],
      // Not downloads: a resumed range, HEAD, a revalidation, the nuspec, a missing file.
      [nupkgPath('1.0.0'), { headers: { Range: 'bytes=10-' } }],
      [nupkgPath('1.0.0'), { method: 'HEAD' }],
      [nupkgPath('2.0.0'), { headers: { 'If-None-Match': '*' } }],
      ['/v3/flat/counted.pkg/1.0.0/counted.pkg.nuspec'],
      [nupkgPath('3.0.0')],
    ];
    for (const [path, init] of requests) expect((await fetchWorker(path, init)).d1Calls, path).toBe(0);
    // Nothing reached D1 yet.
    expect(await searchCounted()).toEqual({ total: 0, versions: { '1.0.0': 0, '2.0.0': 0 } });

    expect(await flush('counted.pkg')).toBe(true);
    expect(await searchCounted()).toEqual({ total: 4, versions: { '1.0.0': 3, '2.0.0': 1 } });

    await fetchWorker(nupkgPath('2.0.0'));
    expect(await flush('counted.pkg')).toBe(true);
    expect(await searchCounted()).toEqual({ total: 5, versions: { '1.0.0': 3, '2.0.0': 2 } });
    // A flush empties the counter: no alarm is left to run.
    expect(await flush('counted.pkg')).toBe(false);
  });

  it('flushes many versions at once, across statements, and drops versions without a row', async () => {
    const versions = Array.from({ length: 40 }, (_, i) => `0.0.${i}`);
    const records = versions.map((version) => versionRecord('Many.Versions', version));
    await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
    const counter = downloadCounterOf(env.DOWNLOADS, 'many.versions');
    for (const [i, version] of versions.entries()) {
      for (let n = 0; n <= i % 3; n++) await counter.count('many.versions', version);
    }
    await counter.count('many.versions', '9.9.9');
    expect(await flush('many.versions')).toBe(true);
    const { results } = await env.DB.prepare('SELECT lower_version, downloads FROM package_versions WHERE lower_id = ?')
      .bind('many.versions')
      .all<{ lower_version: string; downloads: number }>();
    expect(Object.fromEntries(results.map((r) => [r.lower_version, r.downloads]))).toEqual(
      Object.fromEntries(versions.map((version, i) => [version, (i % 3) + 1])),
    );
  });
});
