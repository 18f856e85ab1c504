import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PackageVersionRecord } from '../src/nuget/types';
import { rebuildAllDocuments, rebuildDocuments } from '../src/documents/rebuild';
import { repairFeed } from '../src/documents/repair';
import { blobKeys } from '../src/store/blobs';
import { findRegistration, insertVersionStatements } from '../src/store/packages';
import { documentKeys, type DocumentMetadata } from '../src/store/documents';
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

  it('removes pages that no longer exist when page bounds move', async () => {
    await insert(range('Shift', 0, 128));
    await rebuildDocuments(env, 'shift');
    const before = await keysOf('shift');
    expect(before).toContain(documentKeys.registrationPage('semver2', 'shift', '1.0.0', '1.0.63'));

    await insert([versionRecord('Shift', '0.1.0')]);
    await rebuildDocuments(env, 'shift');
    const after = await keysOf('shift');
    expect(after).not.toContain(documentKeys.registrationPage('semver2', 'shift', '1.0.0', '1.0.63'));
    expect(after).toContain(documentKeys.registrationPage('semver2', 'shift', '0.1.0', '1.0.62'));
    expect(after).toContain(documentKeys.registrationPage('semver2', 'shift', '1.0.127', '1.0.127'));
    expect(after).toHaveLength(2 * 4); // per level: index + 3 page documents
  });

  it('never overwrites or deletes a page stamped with a newer generation', async () => {
    await insert([versionRecord('Newer', '1.0.0')]);
    const indexKey = documentKeys.registrationIndex('semver2', 'newer');
    const strayKey = documentKeys.registrationPage('semver2', 'newer', '9.0.0', '9.0.0');
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
    await env.PAGES.put(documentKeys.registrationPage('semver2', 'ghost', '1.0.0', '2.0.0'), '{}');
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

  it('restores deleted pages', async () => {
    await insert(range('Repair.Me', 0, 130));
    await rebuildDocuments(env, 'repair.me');
    const page = documentKeys.registrationPage('semver2', 'repair.me', '1.0.64', '1.0.127');
    const removed = [
      documentKeys.versionsIndex('repair.me'),
      documentKeys.registrationIndex('semver1', 'repair.me'),
      page,
    ];
    for (const key of removed) await env.PAGES.delete(key);
    await repairFeed(env, new Date());
    for (const key of removed) expect((await stored(key)).generation, key).toBe(await generation('repair.me'));
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
