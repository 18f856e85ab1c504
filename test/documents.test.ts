import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PackageVersionRecord } from '../src/nuget/types';
import { rebuildAllDocuments, rebuildDocuments } from '../src/documents/rebuild';
import { repairFeed } from '../src/documents/repair';
import { blobKeys } from '../src/store/blobs';
import { findRegistration, insertVersionStatements, updateListing } from '../src/store/packages';
import { documentKeys, type DocumentMetadata } from '../src/store/documents';
import { pageNumberOfUrl } from '../src/linkParams';
import type { HiveLevel } from '../src/links';
import { versionRecord } from './support/records';

const API_KEY = 'test-api-key';

async function insert(records: PackageVersionRecord[]): Promise<void> {
  await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
}

async function generation(lowerId: string): Promise<number> {
  return (await findRegistration(env.DB, lowerId))!.generation;
}

async function stored(key: string): Promise<{ value: string | null; generation: number | undefined }> {
  const { value, metadata } = await env.PAGES.getWithMetadata<DocumentMetadata>(key);
  return { value, generation: metadata?.generation };
}

async function keysOf(lowerId: string): Promise<string[]> {
  const names: string[] = [];
  for (const level of ['semver1', 'semver2'] as const) {
    const list = await env.PAGES.list({ prefix: documentKeys.idPrefix(level, lowerId) });
    names.push(...list.keys.map((key) => key.name));
  }
  return names.sort();
}

const range = (id: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => versionRecord(id, `1.0.${from + i}`));

const LEVELS: readonly HiveLevel[] = ['semver1', 'semver2'];
/** The keys of an id's indexes and of these page numbers at both levels, sorted as keysOf lists them. */
const idKeys = (lowerId: string, pages: number[]) =>
  LEVELS.flatMap((level) => [
    documentKeys.registrationIndex(level, lowerId),
    ...pages.map((page) => documentKeys.registrationPage(level, lowerId, page)),
  ]).sort();

describe('rebuildDocuments', () => {
  it('writes the flat list and both levels, stamped with the D1 generation', async () => {
    await insert([versionRecord('Gen.A', '1.0.0'), versionRecord('Gen.A', '2.0.0-beta.1')]);
    await rebuildDocuments(env, 'gen.a');
    const current = await generation('gen.a');
    for (const key of [
      documentKeys.versionsIndex('gen.a'),
      documentKeys.registrationIndex('semver1', 'gen.a'),
      documentKeys.registrationIndex('semver2', 'gen.a'),
    ]) {
      expect((await stored(key)).generation, key).toBe(current);
    }
    expect(JSON.parse((await stored(documentKeys.versionsIndex('gen.a'))).value!)).toEqual({
      versions: ['1.0.0', '2.0.0-beta.1'],
    });
  });

  it('rewrites only the page a new version joins, under page keys that stay put as pages split', async () => {
    await insert(range('Shift', 0, 128)); // appended: pages 0 (1.0.0-1.0.63) and 1 (1.0.64-1.0.127)
    await rebuildDocuments(env, 'shift');
    expect(await keysOf('shift')).toEqual(idKeys('shift', [0, 1]));
    const page = (level: HiveLevel, n: number) => documentKeys.registrationPage(level, 'shift', n);
    const untouched = await stored(page('semver2', 1));
    const common = [
      documentKeys.versionsIndex('shift'),
      ...LEVELS.map((l) => documentKeys.registrationIndex(l, 'shift')),
    ];

    // 0.1.0 joins page 0, which passes 64 and splits: its upper half moves to a new page 2.
    await insert([versionRecord('Shift', '0.1.0')]);
    const split = await rebuildDocuments(env, 'shift');
    expect(split.changed.sort()).toEqual(
      [...common, page('semver1', 0), page('semver1', 2), page('semver2', 0), page('semver2', 2)].sort(),
    );
    expect(await keysOf('shift')).toEqual(idKeys('shift', [0, 1, 2]));
    expect(await stored(page('semver2', 1))).toEqual(untouched);
    const bounds = async (key: string) => {
      const { lower, upper, count } = JSON.parse((await stored(key)).value!);
      return [lower, upper, count];
    };
    expect(await bounds(page('semver2', 0))).toEqual(['0.1.0', '1.0.31', 33]);
    expect(await bounds(page('semver2', 2))).toEqual(['1.0.32', '1.0.63', 32]);
    const index = JSON.parse((await stored(documentKeys.registrationIndex('semver1', 'shift'))).value!);
    expect(index.items.map((stub: { '@id': string }) => pageNumberOfUrl(stub['@id']))).toEqual([0, 2, 1]);

    // 0.2.0 joins page 0 (34 now): only that page is rewritten, at both levels; a SemVer 2
    // version joining it rewrites the SemVer 2 level's page alone.
    const afterSplit = await stored(page('semver2', 2));
    await insert([versionRecord('Shift', '0.2.0')]);
    expect((await rebuildDocuments(env, 'shift')).changed.sort()).toEqual(
      [...common, page('semver1', 0), page('semver2', 0)].sort(),
    );
    await insert([versionRecord('Shift', '0.2.1-rc.1')]);
    expect((await rebuildDocuments(env, 'shift')).changed.sort()).toEqual([...common, page('semver2', 0)].sort());
    expect(await stored(page('semver2', 1))).toEqual(untouched);
    expect(await stored(page('semver2', 2))).toEqual(afterSplit);
    expect((await stored(page('semver2', 0))).generation).toBe(await generation('shift'));
  });

  it('rewrites only the page holding a version whose listing changes', async () => {
    const records = range('Listing', 0, 130); // pages 0, 1 and 2 (1.0.128-1.0.129)
    await insert(records);
    await rebuildDocuments(env, 'listing');
    await updateListing(env.DB, { ...records[70]!, listed: false }, new Date());
    const { changed } = await rebuildDocuments(env, 'listing');
    const pages = LEVELS.map((level) => documentKeys.registrationPage(level, 'listing', 1));
    expect(changed.sort()).toEqual(
      [...LEVELS.map((l) => documentKeys.registrationIndex(l, 'listing')), ...pages].sort(),
    );
    const page = JSON.parse((await stored(pages[1]!)).value!);
    expect(page.items.find((item: any) => item.catalogEntry.version === '1.0.70').catalogEntry.listed).toBe(false);
  });

  it('removes page documents of the bounds-named layout before page numbers', async () => {
    await insert(range('Legacy', 0, 128));
    const legacy = ['registration/semver2/legacy/page/1.0.0/1.0.63', 'registration/semver1/legacy/page/1.0.64/1.0.127'];
    await env.PAGES.put(legacy[0]!, '{}', { metadata: { generation: 1 } });
    await env.PAGES.put(legacy[1]!, '{}'); // no metadata: the oldest pages
    await rebuildDocuments(env, 'legacy');
    expect(await keysOf('legacy')).toEqual(idKeys('legacy', [0, 1]));
  });

  it('never overwrites or deletes a page stamped with a newer generation', async () => {
    await insert([versionRecord('Newer', '1.0.0')]);
    const indexKey = documentKeys.registrationIndex('semver2', 'newer');
    const strayKey = documentKeys.registrationPage('semver2', 'newer', 9);
    await env.PAGES.put(indexKey, 'from-the-future', { metadata: { generation: 99 } });
    await env.PAGES.put(strayKey, 'from-the-future', { metadata: { generation: 99 } });
    await rebuildDocuments(env, 'newer', { force: true });
    expect((await stored(indexKey)).value).toBe('from-the-future');
    expect((await stored(strayKey)).value).toBe('from-the-future');
  });

  it('skips pages already at its generation unless forced', async () => {
    await insert([versionRecord('Same', '1.0.0')]);
    await rebuildDocuments(env, 'same');
    const key = documentKeys.registrationIndex('semver1', 'same');
    await env.PAGES.put(key, 'same-generation', { metadata: { generation: await generation('same') } });
    await rebuildDocuments(env, 'same');
    expect((await stored(key)).value).toBe('same-generation');
    await rebuildDocuments(env, 'same', { force: true });
    expect(JSON.parse((await stored(key)).value!)).toHaveProperty('items');
  });

  it('deletes every page of an id that no longer exists', async () => {
    await env.PAGES.put(documentKeys.versionsIndex('ghost'), '{}', { metadata: { generation: 5 } });
    await env.PAGES.put(documentKeys.registrationIndex('semver1', 'ghost'), '{}', { metadata: { generation: 5 } });
    await env.PAGES.put(documentKeys.registrationPage('semver2', 'ghost', 0), '{}');
    await rebuildDocuments(env, 'ghost');
    expect(await keysOf('ghost')).toEqual([]);
    expect((await stored(documentKeys.versionsIndex('ghost'))).value).toBeNull();
  });

  it('rebuilds again when D1 moved on while it was writing', async () => {
    await insert([versionRecord('Race', '1.0.0')]);
    let raced = false;
    // A D1 binding whose first read is followed, before the rebuild writes, by another push
    // of the same id that commits and rebuilds its own (newer) pages first. The slow rebuild
    // listed KV before those pages existed, so its guard cannot stop it writing stale pages.
    const db = new Proxy(env.DB, {
      get(target, property) {
        if (property !== 'batch') return Reflect.get(target, property).bind(target);
        return async (statements: D1PreparedStatement[]) => {
          const result = await target.batch(statements);
          if (!raced) {
            raced = true;
            await insert([versionRecord('Race', '2.0.0')]);
            await rebuildDocuments(env, 'race');
          }
          return result;
        };
      },
    });
    await rebuildDocuments({ DB: db, PAGES: env.PAGES }, 'race');
    expect(raced).toBe(true);
    const flat = await stored(documentKeys.versionsIndex('race'));
    // The stale pass wrote the lists without 2.0.0; its second pass replaced them.
    expect(JSON.parse(flat.value!)).toEqual({ versions: ['1.0.0', '2.0.0'] });
    expect(flat.generation).toBe(await generation('race'));
    const index = JSON.parse((await stored(documentKeys.registrationIndex('semver2', 'race'))).value!);
    expect(index.items[0].upper).toBe('2.0.0');
  });
});

describe('rebuildAllDocuments', () => {
  it('rebuilds only ids whose pages are missing or stale, in batches', async () => {
    await insert([versionRecord('Sweep.A', '1.0.0'), versionRecord('Sweep.B', '1.0.0')]);
    await rebuildDocuments(env, 'sweep.a');
    const first = await rebuildAllDocuments(env, { after: 'sweep', limit: 1 });
    expect(first).toEqual({ checked: 1, rebuilt: 0, next: 'sweep.a' });
    const second = await rebuildAllDocuments(env, { after: first.next!, limit: 5 });
    expect(second.rebuilt).toBeGreaterThanOrEqual(1);
    expect(second.next).toBeNull();
    expect((await stored(documentKeys.versionsIndex('sweep.b'))).value).not.toBeNull();
  });
});

describe('repairFeed', () => {
  const later = () => new Date(Date.now() + 2 * 60 * 60 * 1000);

  it('restores deleted documents, pages at their own generation', async () => {
    await insert(range('Repair.Me', 0, 130));
    await rebuildDocuments(env, 'repair.me');
    const removed = [
      documentKeys.versionsIndex('repair.me'),
      documentKeys.registrationIndex('semver1', 'repair.me'),
      documentKeys.registrationPage('semver2', 'repair.me', 1),
      documentKeys.registrationPage('semver1', 'repair.me', 2),
    ];
    const before = await Promise.all(removed.map(stored));
    // Page 1 last changed before the id did (1.0.129 joined page 2).
    expect(before[2]!.generation).toBeLessThan(await generation('repair.me'));
    for (const key of removed) await env.PAGES.delete(key);
    await repairFeed(env, new Date());
    expect(await Promise.all(removed.map(stored))).toEqual(before);
  });

  it('deletes old blobs nothing owns and keeps the rest', async () => {
    await insert([versionRecord('Owned', '1.0.0')]);
    const owned = blobKeys.nupkg('owned', '1.0.0');
    const orphans = [
      blobKeys.nupkg('owned', '2.0.0'),
      blobKeys.readme('owned', '2.0.0'),
      blobKeys.nupkg('nobody', '1.0.0'),
    ];
    const upload = blobKeys.upload('interrupted');
    for (const key of [owned, ...orphans, upload]) await env.PACKAGES.put(key, 'bytes');

    await repairFeed(env, new Date());
    for (const key of [owned, ...orphans, upload]) expect(await env.PACKAGES.head(key), key).not.toBeNull();

    await repairFeed(env, later());
    expect(await env.PACKAGES.head(owned)).not.toBeNull();
    for (const key of [...orphans, upload]) expect(await env.PACKAGES.head(key), key).toBeNull();
  });
});

describe('POST /admin/rebuild-pages', () => {
  const call = (query: string, key?: string) =>
    exports.default.fetch(
      new Request(`https://feed.test/admin/rebuild-pages${query}`, {
        method: 'POST',
        headers: key === undefined ? {} : { 'X-NuGet-ApiKey': key },
      }),
    );

  it('refuses requests without the right key', async () => {
    expect((await call('?id=x')).status).toBe(401);
    expect((await call('?id=x', 'wrong-key')).status).toBe(401);
  });

  it('rebuilds one id', async () => {
    await insert([versionRecord('Admin.One', '1.0.0')]);
    const response = await call('?id=Admin.One', API_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ checked: 1, rebuilt: 1, next: null });
    expect((await stored(documentKeys.registrationIndex('semver2', 'admin.one'))).value).not.toBeNull();
  });

  it('rebuilds every id in batches, forced', async () => {
    await insert([versionRecord('Admin.Two', '1.0.0')]);
    let after = '';
    let checked = 0;
    for (;;) {
      const response = await call(`?limit=2${after ? `&after=${after}` : ''}`, API_KEY);
      expect(response.status).toBe(200);
      const result = (await response.json()) as { checked: number; rebuilt: number; next: string | null };
      expect(result.rebuilt).toBe(result.checked);
      checked += result.checked;
      if (result.next === null) break;
      after = result.next;
    }
    const ids = await env.DB.prepare('SELECT count(*) AS n FROM package_registrations').first<{ n: number }>();
    expect(checked).toBe(ids!.n);
    expect((await call('?limit=0', API_KEY)).status).toBe(400);
  });
});
