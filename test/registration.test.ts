import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationIndex, RegistrationLeaf, RegistrationPage } from '../src/nuget/registration';
import type { PackageVersionRecord } from '../src/nuget/types';
import { purgePackageCache } from '../src/store/edgeCache';
import { rebuildDocuments } from '../src/documents/rebuild';
import { packageDetailsItemStatements } from '../src/store/catalog';
import { insertVersionStatements, setListedStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const HIVE = {
  semver1: '/v3/registration/',
  semver1gz: '/v3/registration-gz/',
  semver2gz: '/v3/registration-gz-semver2/',
};

async function seed(records: PackageVersionRecord[]): Promise<void> {
  // Each version with its catalog item, as a push commits it (src/store/packages.ts insertVersion).
  const item = (record: PackageVersionRecord) => packageDetailsItemStatements(env.DB, record, new Date());
  await env.DB.batch(records.flatMap((record) => [...insertVersionStatements(env.DB, record), ...item(record)]));
  for (const lowerId of new Set(records.map((r) => r.lowerId))) await rebuildDocuments(env, lowerId);
}

/** Fetches through the Worker and keeps the body exactly as sent (no transparent gunzip). */
function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const target = url.startsWith('http') ? url : FEED + url;
  return exports.default.fetch(target, { headers, encodeResponseBody: 'manual' } as RequestInit);
}

async function json<T>(response: Response): Promise<T> {
  if (response.headers.get('Content-Encoding') !== 'gzip') return response.json();
  return new Response(response.body!.pipeThrough(new DecompressionStream('gzip'))).json();
}

async function getJson<T>(url: string): Promise<T> {
  const response = await get(url, { 'Accept-Encoding': 'gzip, deflate' });
  expect(response.status, url).toBe(200);
  return json<T>(response);
}

/** Every absolute URL in a document. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('http') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

const widgets = (version: string, overrides: Partial<PackageVersionRecord> = {}) =>
  versionRecord('Contoso.Widgets', version, overrides);
const rich = widgets('1.0.0', {
  tags: 'widgets ui',
  licenseExpression: 'MIT',
  hasReadme: true,
  iconContentType: 'image/png',
  projectUrl: 'https://github.com/contoso/widgets',
  published: '2026-02-01T00:00:00.000Z',
  dependencyGroups: [
    { targetFramework: 'net8.0', dependencies: [{ id: 'Contoso.Core', range: '[1.0.0, )' }] },
    { dependencies: [] },
  ],
});

beforeAll(async () => {
  await seed([
    widgets('0.9.0', { listed: false }),
    rich,
    widgets('1.1.0-beta'),
    // SemVer 2 only through a dependency bound (§9.5, pitfall 6).
    widgets('1.5.0', {
      isSemVer2: true,
      dependencyGroups: [{ dependencies: [{ id: 'Contoso.Core', range: '[1.0.0-alpha.1, )' }] }],
    }),
    widgets('2.0.0-rc.1'),
    widgets('3.0.0+build.7', { lowerVersion: '3.0.0' }),
    versionRecord('Only.SemVer2', '1.0.0-alpha.1'),
  ]);
});

describe('registration index in the SemVer 2 hive', () => {
  it('lists every version in NuGet order with full metadata', async () => {
    const index = await getJson<RegistrationIndex>(`${HIVE.semver2gz}contoso.widgets/index.json`);
    expect(index['@id']).toBe(`${FEED}${HIVE.semver2gz}contoso.widgets/index.json`);
    expect(index.count).toBe(1);
    const page = index.items[0]!;
    expect(page.items!.map((item) => item.catalogEntry.version)).toEqual([
      '0.9.0',
      '1.0.0',
      '1.1.0-beta',
      '1.5.0',
      '2.0.0-rc.1',
      '3.0.0+build.7',
    ]);
    expect(page).toMatchObject({ lower: '0.9.0', upper: '3.0.0', count: 6, parent: index['@id'] });
    const item = page.items![1]!;
    expect(item).toMatchObject({
      '@id': `${FEED}${HIVE.semver2gz}contoso.widgets/1.0.0.json`,
      '@type': 'Package',
      commitId: index.commitId,
      commitTimeStamp: index.commitTimeStamp,
      packageContent: `${FEED}/v3/flat/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg`,
      registration: index['@id'],
    });
    expect(item.catalogEntry).toEqual({
      '@id': expect.stringMatching(/^https:\/\/feed\.test\/v3\/catalog\/data\/\d+\/contoso\.widgets\.1\.0\.0\.json$/),
      '@type': 'PackageDetails',
      id: 'Contoso.Widgets',
      version: '1.0.0',
      authors: 'EdgeGet Tests',
      copyright: '',
      description: 'Test package Contoso.Widgets.',
      summary: '',
      title: '',
      tags: ['widgets', 'ui'],
      iconUrl: `${FEED}/v3/flat/contoso.widgets/1.0.0/icon`,
      licenseExpression: 'MIT',
      licenseUrl: 'https://licenses.nuget.org/MIT',
      readmeUrl: `${FEED}/packages/Contoso.Widgets/1.0.0`,
      projectUrl: 'https://github.com/contoso/widgets',
      language: '',
      minClientVersion: '',
      requireLicenseAcceptance: false,
      listed: true,
      published: '2026-02-01T00:00:00.000Z',
      packageContent: `${FEED}/v3/flat/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg`,
      dependencyGroups: [
        {
          targetFramework: 'net8.0',
          dependencies: [
            { id: 'Contoso.Core', range: '[1.0.0, )', registration: `${FEED}${HIVE.semver2gz}contoso.core/index.json` },
          ],
        },
        {},
      ],
    });
    const unlisted = page.items![0]!.catalogEntry;
    expect([unlisted.listed, unlisted.published]).toEqual([false, '1900-01-01T00:00:00+00:00']);
  });

  it('binds every URL to the request origin and the served hive', async () => {
    for (const origin of [FEED, 'https://mirror.example:8443']) {
      const response = await get(`${origin}${HIVE.semver2gz}contoso.widgets/index.json`);
      const text = await response.text();
      expect(text).not.toContain('edgeget.invalid');
      const external = ['https://licenses.nuget.org/', 'https://github.com/'];
      const urls = urlsIn(JSON.parse(text)).filter((url) => !external.some((prefix) => url.startsWith(prefix)));
      expect(urls.length).toBeGreaterThan(20);
      for (const url of urls) expect(url.startsWith(`${origin}/`), url).toBe(true);
      const registrationUrls = urls.filter((url) => url.includes('/v3/registration'));
      for (const url of registrationUrls) expect(url.startsWith(`${origin}${HIVE.semver2gz}`), url).toBe(true);
    }
  });

  it('answers any casing of the id', async () => {
    const index = await getJson<RegistrationIndex>(`${HIVE.semver2gz}Contoso.Widgets/index.json`);
    expect(index['@id']).toBe(`${FEED}${HIVE.semver2gz}contoso.widgets/index.json`);
  });
});

describe('SemVer 1 hives (§4.8)', () => {
  it.each([
    ['semver1', HIVE.semver1],
    ['semver1-gz', HIVE.semver1gz],
  ])('%s hides SemVer 2 versions and points into itself', async (_name, hive) => {
    const index = await getJson<RegistrationIndex>(`${hive}contoso.widgets/index.json`);
    const page = index.items[0]!;
    expect(page.items!.map((item) => item.catalogEntry.version)).toEqual(['0.9.0', '1.0.0', '1.1.0-beta']);
    expect(page).toMatchObject({ lower: '0.9.0', upper: '1.1.0-beta' });
    const urls = urlsIn(index).filter((url) => url.includes('/v3/registration'));
    for (const url of urls) expect(url.startsWith(`${FEED}${hive}`), url).toBe(true);
    expect(page.items![1]!.catalogEntry.dependencyGroups![0]!.dependencies![0]!.registration).toBe(
      `${FEED}${hive}contoso.core/index.json`,
    );
  });

  it('404s an id whose versions are all SemVer 2, except in the SemVer 2 hive', async () => {
    for (const hive of [HIVE.semver1, HIVE.semver1gz]) {
      const response = await get(`${hive}only.semver2/index.json`);
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toContain('application/json');
      // A 404 is an ordinary read answer: a reason phrase, and no X-NuGet-Warning for the client to print.
      expect(response.statusText).toMatch(/only\.semver2/);
      expect(response.headers.get('X-NuGet-Warning')).toBeNull();
    }
    expect((await get(`${HIVE.semver2gz}only.semver2/index.json`)).status).toBe(200);
    expect((await get(`${HIVE.semver2gz}no.such.package/index.json`)).status).toBe(404);
  });
});

describe('content encoding', () => {
  it('gzips the gz hives when the client accepts gzip', async () => {
    for (const hive of [HIVE.semver1gz, HIVE.semver2gz]) {
      const response = await get(`${hive}contoso.widgets/index.json`, { 'Accept-Encoding': 'gzip, deflate' });
      expect(response.headers.get('Content-Encoding')).toBe('gzip');
      expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      const bytes = new Uint8Array(await response.clone().arrayBuffer());
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect((await json<RegistrationIndex>(response))['@id']).toBe(`${FEED}${hive}contoso.widgets/index.json`);
    }
  });

  it('sends identity when gzip is not accepted, and always in the plain hive', async () => {
    const cases: [string, Record<string, string>][] = [
      [HIVE.semver2gz, {}],
      [HIVE.semver2gz, { 'Accept-Encoding': 'gzip;q=0, deflate' }],
      [HIVE.semver1, { 'Accept-Encoding': 'gzip, deflate' }],
    ];
    for (const [hive, headers] of cases) {
      const response = await get(`${hive}contoso.widgets/index.json`, headers);
      expect(response.headers.get('Content-Encoding')).toBeNull();
      expect(((await response.json()) as RegistrationIndex).count).toBe(1);
    }
  });
});

describe('leaf documents (§4.9)', () => {
  it('resolves every leaf item @id', async () => {
    const index = await getJson<RegistrationIndex>(`${HIVE.semver2gz}contoso.widgets/index.json`);
    for (const item of index.items[0]!.items!) {
      const leaf = await getJson<RegistrationLeaf>(item['@id']);
      expect(leaf).toEqual({
        '@id': item['@id'],
        '@type': ['Package', 'http://schema.nuget.org/catalog#Permalink'],
        catalogEntry: item.catalogEntry['@id'],
        listed: item.catalogEntry.listed,
        packageContent: item.packageContent,
        published: item.catalogEntry.published,
        registration: index['@id'],
      });
    }
  });

  it('404s a leaf the hive does not show, or that does not exist', async () => {
    expect((await get(`${HIVE.semver1}contoso.widgets/2.0.0-rc.1.json`)).status).toBe(404);
    expect((await get(`${HIVE.semver2gz}contoso.widgets/4.0.0.json`)).status).toBe(404);
    expect((await get(`${HIVE.semver2gz}contoso.widgets/not-a-version.json`)).status).toBe(404);
    expect((await get(`${HIVE.semver2gz}contoso.widgets/1.0.0.0.json`)).status).toBe(200);
  });
});

describe('paging (§4.7)', () => {
  const counts = [64, 127, 128, 300];
  beforeAll(async () => {
    for (const count of counts) {
      const id = `Paged.P${count}`;
      await seed(Array.from({ length: count }, (_, i) => versionRecord(id, `${Math.floor(i / 10)}.${i % 10}.0`)));
    }
  });

  it.each(counts)('serves %i versions with exact bounds, inlined up to 127', async (count) => {
    const hive = HIVE.semver2gz;
    const index = await getJson<RegistrationIndex>(`${hive}paged.p${count}/index.json`);
    expect(index.count).toBe(Math.ceil(count / 64));
    const pages: RegistrationPage[] = [];
    for (const stub of index.items) {
      if (count <= 127) {
        expect(stub.items).toHaveLength(stub.count);
        pages.push(stub);
        continue;
      }
      expect(stub).not.toHaveProperty('items');
      const page = await getJson<RegistrationPage>(stub['@id']);
      expect(page).toMatchObject({ '@id': stub['@id'], lower: stub.lower, upper: stub.upper, count: stub.count });
      expect(page.parent).toBe(index['@id']);
      pages.push(page);
    }
    const versions = pages.flatMap((page) => page.items!.map((item) => item.catalogEntry.version));
    expect(versions).toEqual(Array.from({ length: count }, (_, i) => `${Math.floor(i / 10)}.${i % 10}.0`));
    for (const page of pages) {
      expect(page.items!.length).toBeLessThanOrEqual(64);
      expect(page.lower).toBe(page.items![0]!.catalogEntry.version);
      expect(page.upper).toBe(page.items![page.items!.length - 1]!.catalogEntry.version);
    }
    const last = pages[pages.length - 1]!.items!.at(-1)!;
    expect((await getJson<RegistrationLeaf>(last['@id'])).packageContent).toBe(last.packageContent);
  });
});

describe('unlist and relist', () => {
  it('flips listed and published once the pages are rebuilt', async () => {
    await seed([versionRecord('Flip.Me', '1.0.0')]);
    const entryOf = async () => {
      const index = await getJson<RegistrationIndex>(`${HIVE.semver2gz}flip.me/index.json`);
      return index.items[0]!.items![0]!.catalogEntry;
    };
    await env.DB.batch(setListedStatements(env.DB, 'flip.me', '1.0.0', false, '2026-05-01T00:00:00.000Z'));
    await rebuildDocuments(env, 'flip.me');
    expect(await entryOf()).toMatchObject({ listed: false, published: '1900-01-01T00:00:00+00:00' });
    const leaf = await getJson<RegistrationLeaf>(`${HIVE.semver2gz}flip.me/1.0.0.json`);
    expect([leaf.listed, leaf.published]).toEqual([false, '1900-01-01T00:00:00+00:00']);

    await env.DB.batch(setListedStatements(env.DB, 'flip.me', '1.0.0', true, '2026-05-01T00:00:00.000Z'));
    // The index is in the edge cache now: a change purges it, as the relist route does.
    await purgePackageCache(caches.default, FEED, (await rebuildDocuments(env, 'flip.me')).changed);
    expect(await entryOf()).toMatchObject({ listed: true, published: '2026-05-01T00:00:00.000Z' });
  });
});
