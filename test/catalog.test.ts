import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PackageVersionRecord } from '../src/nuget/types';
import {
  CATALOG_PAGE_SIZE,
  catalogItemCount,
  catalogItemStatement,
  findCatalogItem,
  latestCatalogCommit,
} from '../src/store/catalog';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const get = (path: string) => exports.default.fetch(new Request(`${FEED}${path}`));
const getJson = async (path: string) => {
  const response = await get(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as any;
};

type ItemType = 'PackageDetails' | 'PackageDelete';
async function commit(records: PackageVersionRecord[], nowUs: number, itemType: ItemType = 'PackageDetails') {
  for (let i = 0; i < records.length; i += 100) {
    await env.DB.batch(
      records
        .slice(i, i + 100)
        .map((record, j) =>
          catalogItemStatement(env.DB, { itemType, record, commitId: `commit-${i + j}-${nowUs}`, nowUs }),
        ),
    );
  }
}

// Storage is shared within this file: the tests run in order and build one catalog.
describe('catalog', () => {
  it('serves a valid empty index before anything is committed', async () => {
    const index = await getJson('/v3/catalog/index.json');
    expect(index).toMatchObject({ '@id': `${FEED}/v3/catalog/index.json`, count: 0, items: [] });
    expect(index.commitTimeStamp).toBe('1970-01-01T00:00:00.0000000Z');
    expect(await latestCatalogCommit(env.DB)).toBeNull();
    expect((await get('/v3/catalog/page0.json')).status).toBe(404);
  });

  it('keeps commit timestamps strictly increasing when the clock repeats or goes back', async () => {
    const now = Date.UTC(2026, 2, 1, 10, 0, 2) * 1000 + 123_456;
    await commit([versionRecord('Contoso.Widgets', '1.0.0')], now);
    await commit([versionRecord('Contoso.Widgets', '1.1.0')], now);
    await commit([versionRecord('Contoso.Widgets', '1.2.0')], now - 5_000_000);
    const items = await Promise.all([1, 2, 3].map((seq) => findCatalogItem(env.DB, seq)));
    expect(items.map((i) => i?.commitUs)).toEqual([now, now + 1, now + 2]);
    expect(await catalogItemCount(env.DB)).toBe(3);
    expect(await latestCatalogCommit(env.DB)).toEqual({ commitUs: now + 2, commitId: `commit-0-${now - 5_000_000}` });

    const page = await getJson('/v3/catalog/page0.json');
    expect(page.items.map((i: any) => i.commitTimeStamp)).toEqual([
      '2026-03-01T10:00:02.1234560Z',
      '2026-03-01T10:00:02.1234570Z',
      '2026-03-01T10:00:02.1234580Z',
    ]);
  });

  it('lists pages and items with their commits', async () => {
    const index = await getJson('/v3/catalog/index.json');
    expect(index.count).toBe(1);
    expect(index.commitTimeStamp).toBe('2026-03-01T10:00:02.1234580Z');
    expect(index.items).toEqual([
      {
        '@id': `${FEED}/v3/catalog/page0.json`,
        '@type': 'CatalogPage',
        commitId: index.commitId,
        commitTimeStamp: index.commitTimeStamp,
        count: 3,
      },
    ]);
    const page = await getJson('/v3/catalog/page0.json');
    expect(page).toMatchObject({ parent: `${FEED}/v3/catalog/index.json`, count: 3, commitId: index.commitId });
    expect(page.items[0]).toEqual({
      '@id': `${FEED}/v3/catalog/data/1/contoso.widgets.1.0.0.json`,
      '@type': 'nuget:PackageDetails',
      commitId: expect.any(String),
      commitTimeStamp: '2026-03-01T10:00:02.1234560Z',
      'nuget:id': 'Contoso.Widgets',
      'nuget:version': '1.0.0',
    });
  });

  it('serves PackageDetails leaves from the snapshot taken at commit time', async () => {
    const record = versionRecord('Contoso.Tools', '2.0.0-Beta.1+sha.5114f85', {
      originalVersion: '2.0.0-Beta.1+sha.5114f85',
      listed: false,
      tags: ' cli  tools ',
      licenseExpression: 'MIT',
      requireLicenseAcceptance: true,
      packageTypes: [{ name: 'DotnetTool' }],
      dependencyGroups: [
        { dependencies: [{ id: 'Contoso.Core', range: '[1.0.0, )' }] },
        { targetFramework: 'net8.0', dependencies: [] },
      ],
    });
    await commit([record], Date.UTC(2026, 3, 1) * 1000);
    const page = await getJson('/v3/catalog/page0.json');
    const ref = page.items.at(-1);
    expect(ref['@id']).toBe(`${FEED}/v3/catalog/data/4/contoso.tools.2.0.0-beta.1.json`);
    expect(ref['nuget:version']).toBe('2.0.0-Beta.1+sha.5114f85');

    const leaf = await getJson('/v3/catalog/data/4/contoso.tools.2.0.0-beta.1.json');
    expect(leaf).toMatchObject({
      '@id': ref['@id'],
      '@type': ['PackageDetails', 'catalog:Permalink'],
      'catalog:commitId': ref.commitId,
      'catalog:commitTimeStamp': '2026-04-01T00:00:00.0000000Z',
      id: 'Contoso.Tools',
      version: '2.0.0-Beta.1+sha.5114f85',
      verbatimVersion: '2.0.0-Beta.1+sha.5114f85',
      published: '1900-01-01T00:00:00Z',
      created: record.created,
      listed: false,
      packageHash: 'AAAA',
      packageHashAlgorithm: 'SHA512',
      packageSize: 100,
      tags: ['cli', 'tools'],
      licenseExpression: 'MIT',
      isPrerelease: true,
      requireLicenseAgreement: true,
      packageTypes: [{ name: 'DotnetTool' }],
      dependencyGroups: [
        { dependencies: [{ id: 'Contoso.Core', range: '[1.0.0, )' }] },
        { targetFramework: 'net8.0', dependencies: [] },
      ],
    });
    expect(JSON.stringify(leaf.dependencyGroups)).not.toContain('registration');

    const listed = await getJson('/v3/catalog/data/1/contoso.widgets.1.0.0.json');
    expect(listed).toMatchObject({ listed: true, published: '2026-01-01T00:00:00.000Z', tags: [] });
    expect(listed).not.toHaveProperty('packageTypes');
  });

  it('serves PackageDelete leaves', async () => {
    const record = versionRecord('Contoso.Widgets', '1.1.0', { originalVersion: '1.1' });
    await commit([record], Date.UTC(2026, 3, 2) * 1000, 'PackageDelete');
    const page = await getJson('/v3/catalog/page0.json');
    expect(page.items.at(-1)['@type']).toBe('nuget:PackageDelete');
    const leaf = await getJson('/v3/catalog/data/5/contoso.widgets.1.1.0.json');
    expect(leaf).toMatchObject({
      '@type': ['PackageDelete', 'catalog:Permalink'],
      id: 'Contoso.Widgets',
      version: '1.1',
      published: '2026-04-02T00:00:00.0000000Z',
    });
    expect(leaf).not.toHaveProperty('packageHash');
  });

  it('answers 404 for leaves and pages that do not exist', async () => {
    for (const path of [
      '/v3/catalog/data/1/contoso.widgets.1.1.0.json',
      '/v3/catalog/data/1/contoso.tools.1.0.0.json',
      '/v3/catalog/data/1/Contoso.Widgets.1.0.0.json',
      '/v3/catalog/data/01/contoso.widgets.1.0.0.json',
      '/v3/catalog/data/999/contoso.widgets.1.0.0.json',
      '/v3/catalog/data/x/contoso.widgets.1.0.0.json',
      '/v3/catalog/page1.json',
      '/v3/catalog/page00.json',
      '/v3/catalog/page-1.json',
      '/v3/catalog/pagex.json',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
  });

  it('starts a new page after 550 items and freezes the older one', async () => {
    const filler = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => versionRecord('Contoso.Many', `1.0.${from + i}`));
    const start = Date.UTC(2026, 4, 1) * 1000;
    await commit(filler(0, CATALOG_PAGE_SIZE - 5), start);
    expect(await catalogItemCount(env.DB)).toBe(CATALOG_PAGE_SIZE);
    expect((await get('/v3/catalog/page1.json')).status).toBe(404);

    await commit(filler(1000, 1), start);
    const frozen = await (await get('/v3/catalog/page0.json')).text();
    await commit(filler(2000, 3), start);
    expect(await (await get('/v3/catalog/page0.json')).text()).toBe(frozen);

    const index = await getJson('/v3/catalog/index.json');
    expect(index.count).toBe(2);
    expect(index.items.map((p: any) => [p['@id'], p.count])).toEqual([
      [`${FEED}/v3/catalog/page0.json`, CATALOG_PAGE_SIZE],
      [`${FEED}/v3/catalog/page1.json`, 4],
    ]);
    const page1 = await getJson('/v3/catalog/page1.json');
    expect(page1.items.map((i: any) => i['nuget:version'])).toEqual(['1.0.1000', '1.0.2000', '1.0.2001', '1.0.2002']);
    expect(index.commitId).toBe(page1.commitId);
    expect(index.commitTimeStamp).toBe(page1.commitTimeStamp);
    expect(page1.items[0]['@id']).toBe(`${FEED}/v3/catalog/data/551/contoso.many.1.0.1000.json`);
    const page0 = JSON.parse(frozen);
    const stamps = [...page0.items, ...page1.items].map((i: any) => i.commitTimeStamp);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });
});
