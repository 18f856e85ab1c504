/**
 * Hard delete (issue 16): a deleted version leaves every view (flat list, every registration hive,
 * search, autocomplete, catalog, symbols, blobs), cannot be pushed again unless the admin allows
 * reuse, is never reachable with a scoped key, and a crash between D1 and R2 is repaired.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { repairFeed } from '../src/documents/repair';
import { blobKeys } from '../src/store/blobs';
import { admin, getJson } from './support/adminApi';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';
import { buildSnupkg, symbolsPush } from './support/snupkg';
import { faultyEnv, fetchWith } from './support/faultyEnv';

const fetchFeed = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`${FEED}${path}`, init));
const push = async (id: string, version: string) =>
  (await exports.default.fetch(pushRequest(buildNupkg({ id, version })))).status;
const blobsOf = async (lowerId: string, lowerVersion: string) =>
  (await env.PACKAGES.list({ prefix: blobKeys.versionPrefix(lowerId, lowerVersion) })).objects.map((o) => o.key);

async function catalogItems(lowerId: string): Promise<string[]> {
  const index = await getJson('/v3/catalog/index.json');
  const items: string[] = [];
  for (const page of index.items) {
    for (const item of (await getJson(new URL(page['@id']).pathname)).items) {
      if (item['nuget:id'].toLowerCase() === lowerId) items.push(`${item['@type']} ${item['nuget:version']}`);
    }
  }
  return items;
}

async function scopedKey(): Promise<string> {
  const response = await admin('POST', '/admin/keys', { name: 'ci-push', scopes: ['push', 'unlist'] });
  return ((await response.json()) as { key: string }).key;
}

beforeAll(async () => {
  for (const version of ['1.0.0', '1.0.1']) expect(await push('Audit.Lib', version)).toBe(201);
  expect((await symbolsPush(buildSnupkg('Audit.Lib', '1.0.1'))).status).toBe(201);
  for (const version of ['1.0.0', '2.0.0']) expect(await push('Gone.Lib', version)).toBe(201);
});

describe('hard delete of a version', () => {
  it('removes it from every view and deletes its blobs', async () => {
    expect(await blobsOf('audit.lib', '1.0.1')).toContain(blobKeys.snupkg('audit.lib', '1.0.1'));
    const response = await admin('DELETE', '/admin/packages/Audit.Lib/1.0.1');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'Audit.Lib', deleted: ['1.0.1'], more: false });

    expect((await getJson('/v3/flat/audit.lib/index.json')).versions).toEqual(['1.0.0']);
    for (const hive of ['registration', 'registration-gz', 'registration-gz-semver2']) {
      const index = await getJson(`/v3/${hive}/audit.lib/index.json`);
      expect(index.items.flatMap((p: any) => p.items.map((i: any) => i.catalogEntry.version))).toEqual(['1.0.0']);
      expect((await fetchFeed(`/v3/${hive}/audit.lib/1.0.1.json`)).status).toBe(404);
    }
    expect((await getJson('/v3/query?q=Audit.Lib')).data[0].versions.map((v: any) => v.version)).toEqual(['1.0.0']);
    expect((await getJson('/v3/autocomplete?id=audit.lib')).data).toEqual(['1.0.0']);
    expect((await fetchFeed('/v3/flat/audit.lib/1.0.1/audit.lib.1.0.1.nupkg')).status).toBe(404);
    expect(await blobsOf('audit.lib', '1.0.1')).toEqual([]);
    const symbols = await env.DB.prepare("SELECT COUNT(*) AS n FROM symbol_files WHERE lower_id = 'audit.lib'").first<{
      n: number;
    }>();
    expect(symbols?.n).toBe(0);
    expect(await catalogItems('audit.lib')).toEqual(['nuget:PackageDetails 1.0.0', 'nuget:PackageDelete 1.0.1']);
  });

  it('refuses the same id and version again with a 409 that says why, until the admin allows reuse', async () => {
    const again = await exports.default.fetch(pushRequest(buildNupkg({ id: 'Audit.Lib', version: '1.0.1' })));
    expect(again.status).toBe(409);
    expect(again.statusText).toMatch(/was deleted from this feed .* cannot be pushed again/);
    expect(await blobsOf('audit.lib', '1.0.1')).toEqual([]);

    const reuse = await admin('DELETE', '/admin/packages/Audit.Lib/1.0.1?allowReuse=true');
    expect(await reuse.json()).toMatchObject({ deleted: [] });
    expect(await push('Audit.Lib', '1.0.1')).toBe(201);
    expect((await getJson('/v3/flat/audit.lib/index.json')).versions).toEqual(['1.0.0', '1.0.1']);
    // Pushed again, it is an ordinary version: deleting it again refuses reuse again.
    await admin('DELETE', '/admin/packages/Audit.Lib/1.0.1');
    expect(await push('Audit.Lib', '1.0.1')).toBe(409);
  });

  it('is never reachable with a scoped key; the V2 hardDelete parameter works with the admin key', async () => {
    const key = await scopedKey();
    const scoped = await fetchFeed('/api/v2/package/Audit.Lib/1.0.0?hardDelete=true', {
      method: 'DELETE',
      headers: { 'X-NuGet-ApiKey': key },
    });
    expect(scoped.status).toBe(403);
    expect(scoped.statusText).toMatch(/needs the admin key/);
    expect((await admin('DELETE', '/admin/packages/Audit.Lib/1.0.0', undefined, key)).status).toBe(401);
    expect((await getJson('/v3/flat/audit.lib/index.json')).versions).toEqual(['1.0.0']);

    const byAdmin = await admin('DELETE', '/api/v2/package/Audit.Lib/1.0.0?hardDelete=true');
    expect(byAdmin.status).toBe(204);
    expect((await fetchFeed('/v3/flat/audit.lib/index.json')).status).toBe(404);
  });

  it('answers a clear error for what is not there and changes nothing', async () => {
    expect((await admin('DELETE', '/admin/packages/No.Such.Lib/1.0.0')).status).toBe(404);
    expect((await admin('DELETE', '/admin/packages/Gone.Lib/9.9.9')).status).toBe(404);
    expect((await admin('DELETE', '/admin/packages/Gone.Lib/not-a-version')).status).toBe(400);
    expect((await admin('DELETE', '/admin/packages/Gone.Lib/1.0.0?allowReuse=maybe')).status).toBe(400);
    expect((await getJson('/v3/flat/gone.lib/index.json')).versions).toEqual(['1.0.0', '2.0.0']);
  });
});

describe('hard delete of every version of an id', () => {
  it('takes the id out of every view while its generation keeps growing', async () => {
    const before = await env.DB.prepare(
      "SELECT generation FROM package_registrations WHERE lower_id = 'gone.lib'",
    ).first<{ generation: number }>();
    const response = await admin('DELETE', '/admin/packages/Gone.Lib');
    expect(await response.json()).toMatchObject({ deleted: ['1.0.0', '2.0.0'] });
    for (const path of [
      '/v3/flat/gone.lib/index.json',
      '/v3/registration-gz-semver2/gone.lib/index.json',
      '/v3/registration/gone.lib/index.json',
    ]) {
      expect((await fetchFeed(path)).status, path).toBe(404);
    }
    expect((await getJson('/v3/query?q=Gone.Lib')).data.map((d: any) => d.id)).not.toContain('Gone.Lib');
    expect((await env.PAGES.list({ prefix: 'registration/semver2/gone.lib/' })).keys).toEqual([]);
    const after = await env.DB.prepare(
      "SELECT generation FROM package_registrations WHERE lower_id = 'gone.lib'",
    ).first<{ generation: number }>();
    expect(after!.generation).toBeGreaterThan(before!.generation);
    expect(await push('Gone.Lib', '3.0.0')).toBe(201);
  });
});

describe('a crash between the D1 commit and the blob deletes', () => {
  /** A hard delete of Crash.Lib `version` whose R2 deletes all fail: its D1 batch commits, its blobs stay. */
  const deleteFailingBlobDeletes = (version: string) =>
    fetchWith(
      faultyEnv(env, [{ binding: 'PACKAGES', method: 'delete', effect: 'throw' }]).env,
      new Request(`${FEED}/admin/packages/Crash.Lib/${version}`, {
        method: 'DELETE',
        headers: { 'X-NuGet-ApiKey': TEST_API_KEY },
      }),
    );

  it('leaves blobs no row owns, which the repair pass removes', async () => {
    expect(await push('Crash.Lib', '1.0.0')).toBe(201);
    expect((await deleteFailingBlobDeletes('1.0.0')).status).toBe(500);
    expect((await fetchFeed('/v3/flat/crash.lib/1.0.0/crash.lib.1.0.0.nupkg')).status).toBe(200);
    expect(await blobsOf('crash.lib', '1.0.0')).not.toEqual([]);
    await repairFeed(env, new Date(Date.now() + 2 * 60 * 60 * 1000));
    expect(await blobsOf('crash.lib', '1.0.0')).toEqual([]);
    expect((await fetchFeed('/v3/flat/crash.lib/index.json')).status).toBe(404);
  });

  it('is finished by running the delete again', async () => {
    expect(await push('Crash.Lib', '2.0.0')).toBe(201);
    expect((await deleteFailingBlobDeletes('2.0.0')).status).toBe(500);
    const again = await admin('DELETE', '/admin/packages/Crash.Lib/2.0.0');
    expect(await again.json()).toMatchObject({ deleted: [] });
    expect(await blobsOf('crash.lib', '2.0.0')).toEqual([]);
  });
});
