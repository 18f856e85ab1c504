/**
 * The restore path's budget for documents (issue "Edge speed"): at most one storage read and no
 * D1 query, an edge-cache hit none; caching headers, conditional requests, and purging after a
 * change. Package files (R2) are in test/packageFiles.test.ts.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { noneMatch } from '../src/cachePolicy';
import { purgePackageCache } from '../src/store/edgeCache';
import { rebuildDocuments } from '../src/documents/rebuild';
import { insertVersionStatements, setListedStatements } from '../src/store/packages';
import { documentKeys, documentRefOf } from '../src/store/documents';
import { d1Calls as d1, FEED, fetchCounted, storageCalls as reads } from './support/countedFetch';
import { buildNupkg, pushRequest, TEST_API_KEY } from './support/nupkg';
import { versionRecord } from './support/records';

const SHORT = 'public, max-age=60';
const STRONG = /^"[0-9a-f]{32}(-[a-z0-9.-]+)?"$/;

async function seed(id: string, versions: string[]): Promise<void> {
  const records = versions.map((version) => versionRecord(id, version));
  await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
  await rebuildDocuments(env, id.toLowerCase());
}

/** What the write routes do after a change: rebuild the id's documents, then purge them for this origin. */
async function rebuildAndPurge(lowerId: string): Promise<void> {
  await purgePackageCache(caches.default, FEED, (await rebuildDocuments(env, lowerId)).changed);
}

beforeAll(async () => {
  await seed('Edge.Pkg', ['1.0.0', '1.1.0']);
  await seed(
    'Edge.Paged',
    Array.from({ length: 130 }, (_, i) => `1.0.${i}`),
  );
});

describe('service index', () => {
  it('reads no storage, is short-lived, and answers a matching If-None-Match with 304', async () => {
    const first = await fetchCounted('/v3/index.json');
    expect(first.calls).toEqual([]);
    expect(first.response.headers.get('Cache-Control')).toBe(SHORT);
    const etag = first.response.headers.get('ETag')!;
    expect(etag).toMatch(STRONG);
    expect((await fetchCounted('/v3/index.json')).response.headers.get('ETag')).toBe(etag);
    const revalidated = await fetchCounted('/v3/index.json', { headers: { 'If-None-Match': etag } });
    expect([revalidated.response.status, revalidated.body.length]).toEqual([304, 0]);
    expect(revalidated.response.headers.get('ETag')).toBe(etag);
    // Another origin gets another document, so another ETag.
    expect((await fetchCounted('https://other.test/v3/index.json')).response.headers.get('ETag')).not.toBe(etag);
  });
});

describe('KV documents: one read, then none from the edge cache', () => {
  const documents = [
    ['flat index', '/v3/flat/edge.pkg/index.json', ''],
    ['registration index', '/v3/registration-gz-semver2/edge.pkg/index.json', '-semver2-gz-gz'],
    ['registration page', '/v3/registration/edge.paged/page/0.json', '-semver1'],
  ] as const;

  it.each(documents)('%s', async (_name, path, suffix) => {
    const headers = { 'Accept-Encoding': 'gzip' };
    const miss = await fetchCounted(path, { headers });
    expect(miss.response.status).toBe(200);
    expect(reads(miss.calls)).toEqual(['PAGES.getWithMetadata']);
    expect(d1(miss.calls)).toEqual([]);
    const hit = await fetchCounted(path, { headers });
    expect(hit.calls).toEqual([]);
    expect(hit.body).toEqual(miss.body);

    const etag = miss.response.headers.get('ETag')!;
    expect(etag).toMatch(STRONG);
    expect(etag.endsWith(`${suffix}"`)).toBe(true);
    expect(hit.response.headers.get('ETag')).toBe(etag);
    expect(miss.response.headers.get('Cache-Control')).toBe(SHORT);
    for (const condition of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const revalidated = await fetchCounted(path, { headers: { ...headers, 'If-None-Match': condition } });
      expect(revalidated.response.status, condition).toBe(304);
      expect(revalidated.calls).toEqual([]);
      expect(revalidated.response.headers.get('ETag')).toBe(etag);
      expect(revalidated.response.headers.get('Cache-Control')).toBe(SHORT);
    }
    expect((await fetchCounted(path, { headers: { ...headers, 'If-None-Match': '"other"' } })).response.status).toBe(
      200,
    );
  });

  it('gives each encoding of a gzip hive its own ETag, and says Vary: Accept-Encoding', async () => {
    const path = '/v3/registration-gz/edge.pkg/index.json';
    const gzip = await fetchCounted(path, { headers: { 'Accept-Encoding': 'gzip' } });
    const identity = await fetchCounted(path, { headers: { 'Accept-Encoding': 'identity' } });
    expect(gzip.response.headers.get('Content-Encoding')).toBe('gzip');
    expect(identity.response.headers.get('Content-Encoding')).toBeNull();
    expect(gzip.response.headers.get('ETag')).toBe(identity.response.headers.get('ETag')!.replace(/"$/, '-gz"'));
    const revalidated = await fetchCounted(path, {
      headers: { 'Accept-Encoding': 'identity', 'If-None-Match': gzip.response.headers.get('ETag')! },
    });
    expect(revalidated.response.status).toBe(200);
    for (const response of [gzip.response, identity.response])
      expect(response.headers.get('Vary')).toBe('Accept-Encoding');
  });

  it('serves an inlined leaf from one read, short-lived (unlist changes it)', async () => {
    const leaf = await fetchCounted('/v3/registration/edge.pkg/1.0.0.json');
    expect(leaf.response.status).toBe(200);
    expect(reads(leaf.calls)).toEqual(['PAGES.getWithMetadata']);
    expect(d1(leaf.calls)).toEqual([]);
    expect(leaf.response.headers.get('Cache-Control')).toBe(SHORT);
    expect(leaf.response.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}-1\.0\.0-semver1"$/);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const path = '/v3/flat/edge.pkg/index.json';
    const got = await fetchCounted(path);
    const head = await fetchCounted(path, { method: 'HEAD' });
    expect([head.response.status, head.body.length]).toEqual([200, 0]);
    expect(head.response.headers.get('ETag')).toBe(got.response.headers.get('ETag'));
    expect(head.response.headers.get('Cache-Control')).toBe(SHORT);
  });

  it('does not cache a 404', async () => {
    const path = '/v3/flat/edge.later/index.json';
    expect((await fetchCounted(path)).response.status).toBe(404);
    await seed('Edge.Later', ['1.0.0']);
    expect((await fetchCounted(path)).response.status).toBe(200);
  });
});

describe('changes', () => {
  it('purges the cached documents a push changes, and their ETags change', async () => {
    const flat = '/v3/flat/edge.pkg/index.json';
    const index = '/v3/registration/edge.pkg/index.json';
    const before = await Promise.all([fetchCounted(flat), fetchCounted(index)]);
    await env.DB.batch(insertVersionStatements(env.DB, versionRecord('Edge.Pkg', '2.0.0')));
    await rebuildAndPurge('edge.pkg');
    const after = await Promise.all([fetchCounted(flat), fetchCounted(index)]);
    expect(JSON.parse(new TextDecoder().decode(after[0].body)).versions).toContain('2.0.0');
    for (const i of [0, 1]) {
      expect(reads(after[i]!.calls)).toEqual(['PAGES.getWithMetadata']);
      expect(after[i]!.response.headers.get('ETag')).not.toBe(before[i]!.response.headers.get('ETag'));
    }
  });

  it('changes the registration ETags on unlist, and keeps the unchanged flat index and pages cached', async () => {
    const flat = '/v3/flat/edge.paged/index.json';
    const index = '/v3/registration/edge.paged/index.json';
    // 130 versions appended in order: pages 0 and 1 hold 64 each, page 2 the last two.
    const lastPage = '/v3/registration/edge.paged/page/2.json';
    const firstPage = '/v3/registration/edge.paged/page/0.json';
    const paths = [flat, index, lastPage, firstPage];
    const before = await Promise.all(paths.map((path) => fetchCounted(path)));
    await env.DB.batch(setListedStatements(env.DB, 'edge.paged', '1.0.129', false, '2026-06-01T00:00:00.000Z'));
    await rebuildAndPurge('edge.paged');
    const after = await Promise.all(paths.map((path) => fetchCounted(path)));
    // Unlisted versions stay in the flat list (§3.4): same text, same ETag, still cached.
    expect([after[0]!.response.headers.get('ETag'), after[0]!.calls]).toEqual([
      before[0]!.response.headers.get('ETag'),
      [],
    ]);
    // The index and the page holding the version changed; the other pages did not (issue 12).
    expect([after[3]!.response.headers.get('ETag'), after[3]!.calls]).toEqual([
      before[3]!.response.headers.get('ETag'),
      [],
    ]);
    for (const i of [1, 2]) {
      expect(after[i]!.response.headers.get('ETag')).not.toBe(before[i]!.response.headers.get('ETag'));
      expect(reads(after[i]!.calls)).toEqual(['PAGES.getWithMetadata']);
    }
    const page = JSON.parse(new TextDecoder().decode(after[2]!.body));
    expect(page.items.at(-1).catalogEntry.listed).toBe(false);
  });

  it('serves no stale cached document after a push or unlist through the same origin', async () => {
    const versions = async () =>
      JSON.parse(new TextDecoder().decode((await fetchCounted('/v3/flat/edge.pushed/index.json')).body));
    const listed = async () => {
      const index = JSON.parse(
        new TextDecoder().decode((await fetchCounted('/v3/registration/edge.pushed/index.json')).body),
      );
      return index.items[0].items.map((leaf: { catalogEntry: { version: string; listed: boolean } }) => [
        leaf.catalogEntry.version,
        leaf.catalogEntry.listed,
      ]);
    };
    expect((await fetchCounted(pushRequest(buildNupkg({ id: 'Edge.Pushed', version: '1.0.0' })))).response.status).toBe(
      201,
    );
    expect(await versions()).toEqual({ versions: ['1.0.0'] });
    expect(await listed()).toEqual([['1.0.0', true]]);
    expect((await fetchCounted(pushRequest(buildNupkg({ id: 'Edge.Pushed', version: '2.0.0' })))).response.status).toBe(
      201,
    );
    expect(await versions()).toEqual({ versions: ['1.0.0', '2.0.0'] });
    const unlist = { method: 'DELETE', headers: { 'X-NuGet-ApiKey': TEST_API_KEY } };
    expect((await fetchCounted('/api/v2/package/Edge.Pushed/1.0.0', unlist)).response.status).toBe(204);
    expect(await listed()).toEqual([
      ['1.0.0', false],
      ['2.0.0', true],
    ]);
  });

  it('maps every page key back to what it names', () => {
    expect(documentRefOf(documentKeys.versionsIndex('a.b'))).toEqual({ kind: 'versionsIndex', lowerId: 'a.b' });
    expect(documentRefOf(documentKeys.registrationIndex('semver2', 'a.b'))).toEqual({
      kind: 'registrationIndex',
      level: 'semver2',
      lowerId: 'a.b',
    });
    expect(documentRefOf(documentKeys.registrationPage('semver1', 'a.b', 3))).toEqual({
      kind: 'registrationPage',
      level: 'semver1',
      lowerId: 'a.b',
      page: 3,
    });
    // Keys of the bounds-named pages before stable page numbers name nothing now.
    expect(documentRefOf('registration/semver1/a.b/page/1.0.0/2.0.0')).toBeNull();
    expect(documentRefOf('registration/semver1/a.b/page/03')).toBeNull();
    expect(documentRefOf('registration/semver3/a.b/index')).toBeNull();
  });
});

describe('If-None-Match matching (RFC 9110 §13.1.2)', () => {
  it('matches *, lists and weak tags; not a tag that merely contains the value', () => {
    expect(noneMatch('*', '"a"')).toBe(true);
    expect(noneMatch('"b", W/"a"', '"a"')).toBe(true);
    expect(noneMatch('"a,b"', '"a"')).toBe(false);
    expect(noneMatch('"ab"', '"a"')).toBe(false);
    expect(noneMatch(null, '"a"')).toBe(false);
  });
});
