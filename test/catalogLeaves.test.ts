/**
 * Issue 11 items 2 and 5: a registration catalogEntry names the version's catalog leaf (§4.6),
 * in every hive; the leaf is complete (§7.3: packageEntries, lastEdited, packageTypes); and a
 * version whose listing flaps keeps one PackageDetails item, not one per change.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocuments } from '../src/documents/rebuild';
import { refreshDocuments } from '../src/documents/refresh';
import { HIVES, feedLinks } from '../src/links';
import type { RegistrationIndex } from '../src/nuget/registration';
import { listingRecord } from '../src/nuget/versionRecord';
import { blobKeys } from '../src/store/blobs';
import { catalogItemCount } from '../src/store/catalog';
import { findVersion, insertVersion, updateListing } from '../src/store/packages';
import { buildNupkg } from './support/nupkg';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const links = feedLinks(FEED);
const getJson = async (url: string) => {
  const response = await exports.default.fetch(new Request(url, { headers: { 'Accept-Encoding': 'identity' } }));
  expect(response.status, url).toBe(200);
  return (await response.json()) as any;
};
const catalogItems = async () => {
  const index = await getJson(links.catalogIndex);
  const pages = await Promise.all(index.items.map((page: any) => getJson(page['@id'])));
  return pages.flatMap((page) => page.items);
};

const nupkg = buildNupkg({ id: 'Contoso.Leaf', version: '1.0.0', files: { 'lib/net8.0/Contoso.Leaf.dll': 'MZ…' } });
const leaf = versionRecord('Contoso.Leaf', '1.0.0', {
  packageSize: nupkg.length,
  copyright: 'Copyright © Contoso',
  packageTypes: [{ name: 'Template' }],
});
const plain = versionRecord('Contoso.Leaf', '2.0.0');

beforeAll(async () => {
  await env.PACKAGES.put(blobKeys.nupkg(leaf.lowerId, leaf.lowerVersion), nupkg);
  await insertVersion(env.DB, leaf, null, new Date('2026-03-01T10:00:00Z'));
  await insertVersion(env.DB, plain, null, new Date('2026-03-01T10:00:01Z'));
  await rebuildDocuments(env, leaf.lowerId);
});

describe('registration catalogEntry.@id (§4.6)', () => {
  it('is the catalog leaf, with the id and version, in every hive', async () => {
    const ids = new Set<string>();
    for (const hive of HIVES) {
      const index = (await getJson(links.registrationIndex(hive, leaf.lowerId))) as RegistrationIndex;
      for (const item of index.items.flatMap((page) => page.items ?? [])) {
        const entry = item.catalogEntry;
        expect(entry['@id']).toMatch(/^https:\/\/feed\.test\/v3\/catalog\/data\/\d+\//);
        const followed = await getJson(entry['@id']);
        expect(followed).toMatchObject({ id: 'Contoso.Leaf', version: entry.version });
        if (entry.version === '1.0.0') ids.add(entry['@id']);
        // The standalone leaf points at the same catalog leaf (§4.9).
        expect((await getJson(item['@id'])).catalogEntry).toBe(entry['@id']);
      }
    }
    expect(ids.size).toBe(1);
  });

  it('carries the nuspec copyright, in registration and search (§4.6, §5.3)', async () => {
    const index = (await getJson(links.registrationIndex('semver2-gz', leaf.lowerId))) as RegistrationIndex;
    const entries = index.items.flatMap((page) => page.items ?? []).map((item) => item.catalogEntry);
    expect(entries.map((e) => [e.version, e.copyright])).toEqual([
      ['1.0.0', 'Copyright © Contoso'],
      ['2.0.0', ''],
    ]);
    const search = await getJson(`${FEED}/v3/query?q=packageid:contoso.leaf&semVerLevel=2.0.0`);
    expect(search.data[0]).toMatchObject({ version: '2.0.0', copyright: '' });
  });
});

describe('catalog leaves (§7.3)', () => {
  it('list the package entries, lastEdited and the declared package types', async () => {
    const item = (await catalogItems()).find((i) => i['nuget:version'] === '1.0.0');
    const body = await getJson(item['@id']);
    expect(body).toMatchObject({
      id: 'Contoso.Leaf',
      version: '1.0.0',
      copyright: 'Copyright © Contoso',
      lastEdited: '0001-01-01T00:00:00Z',
      packageTypes: [{ name: 'Template' }],
    });
    const names = body.packageEntries.map((e: any) => e.fullName).sort();
    expect(names).toEqual(['Contoso.Leaf.nuspec', 'lib/net8.0/Contoso.Leaf.dll', 'lib/netstandard2.0/_._']);
    const dll = body.packageEntries.find((e: any) => e.name === 'Contoso.Leaf.dll');
    expect(dll).toEqual({
      '@id': `${item['@id']}#lib/net8.0/Contoso.Leaf.dll`,
      '@type': 'PackageEntry',
      compressedLength: expect.any(Number),
      fullName: 'lib/net8.0/Contoso.Leaf.dll',
      length: 5,
      name: 'Contoso.Leaf.dll',
    });
  });

  it('leave packageTypes out when none is declared, as nuget.org does', async () => {
    const item = (await catalogItems()).find((i) => i['nuget:version'] === '2.0.0');
    expect(await getJson(item['@id'])).not.toHaveProperty('packageTypes');
  });

  it('keep one item per version however often its listing flips, always the newest commit', async () => {
    const before = await catalogItemCount(env.DB);
    const first = (await catalogItems()).find((i) => i['nuget:version'] === '1.0.0');
    let last = new Date(0);
    for (let flip = 0; flip < 12; flip++) {
      const stored = await findVersion(env.DB, leaf.lowerId, leaf.lowerVersion);
      last = new Date(Date.UTC(2026, 3, 1, 0, 0, flip));
      await updateListing(env.DB, listingRecord(stored!, flip % 2 === 1, last), last);
    }
    expect(await catalogItemCount(env.DB)).toBe(before);
    const items = await catalogItems();
    expect(items.filter((i) => i['nuget:version'] === '1.0.0')).toHaveLength(1);
    const newest = items.reduce((a, b) => (a.commitTimeStamp > b.commitTimeStamp ? a : b));
    expect(newest['nuget:version']).toBe('1.0.0');
    expect(newest['@id']).not.toBe(first['@id']);
    // The superseded leaf is gone; the current one shows the last change.
    const gone = await exports.default.fetch(new Request(first['@id']));
    expect(gone.status).toBe(404);
    await gone.body?.cancel();
    expect(await getJson(newest['@id'])).toMatchObject({ listed: true, lastEdited: last.toISOString() });
    // The registration follows the version to its new leaf once refreshed (as unlist and relist do).
    await refreshDocuments(env, caches.default, leaf.lowerId, FEED);
    const index = (await getJson(links.registrationIndex('semver1', leaf.lowerId))) as RegistrationIndex;
    const entry = index.items[0]!.items!.find((i) => i.catalogEntry.version === '1.0.0')!.catalogEntry;
    expect(entry['@id']).toBe(newest['@id']);
  });
});
