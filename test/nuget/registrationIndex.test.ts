import { describe, expect, it } from 'vitest';
import { feedLinks } from '../../src/links';
import { pagesOf, registrationIndex, registrationPage } from '../../src/nuget/registration';
import { registrationCommit } from '../../src/nuget/registrationLayout';
import type { PackageRegistration } from '../../src/nuget/types';
import { versionRecord } from '../support/records';
import { buildLayout, touchedOf, versionRun } from './registrationFixtures';

const links = feedLinks('https://pkgs.example.dev');
const registration: PackageRegistration = { lowerId: 'contoso.widgets', id: 'Contoso.Widgets', generation: 7 };
const record = (version: string, overrides = {}) => versionRecord('Contoso.Widgets', version, overrides);
const many = (count: number) => versionRun('Contoso.Widgets', count);
const hive2 = 'semver2-gz' as const;
const base2 = 'https://pkgs.example.dev/v3/registration-gz-semver2/contoso.widgets';

describe('registrationIndex: pages and bounds (protocol §4.7, §4.3)', () => {
  it('keeps the layout’s NuGet order and bounds pages exactly', () => {
    const versions = ['1.10.0', '1.2.0', '1.0.0', '1.0.0-beta', '1.0.0-alpha', '1.0.0.1'].map((v) => record(v));
    const { layout, content } = buildLayout(registration, versions);
    const page = registrationIndex(links, hive2, layout, content)!.items[0]!;
    expect(page.items!.map((item) => item.catalogEntry.version)).toEqual([
      '1.0.0-alpha',
      '1.0.0-beta',
      '1.0.0',
      '1.0.0.1',
      '1.2.0',
      '1.10.0',
    ]);
    expect(page).toMatchObject({ lower: '1.0.0-alpha', upper: '1.10.0', count: 6 });
  });

  it('strips metadata from bounds, keeps the version’s label casing, and names inlined pages by number', () => {
    const { layout, content } = buildLayout(registration, [
      record('1.0.0-RC.1+build.5', { lowerVersion: '1.0.0-rc.1' }),
      record('2.0.0+abc', { lowerVersion: '2.0.0' }),
    ]);
    const page = registrationIndex(links, hive2, layout, content)!.items[0]!;
    expect(page).toMatchObject({ lower: '1.0.0-RC.1', upper: '2.0.0' });
    expect(page['@id']).toBe(`${base2}/index.json#page/0`);
  });

  it.each([
    [1, [[1, '1.0.0', '1.0.0']]],
    [64, [[64, '1.0.0', '1.0.63']]],
    [
      65,
      [
        [64, '1.0.0', '1.0.63'],
        [1, '1.0.64', '1.0.64'],
      ],
    ],
    [
      127,
      [
        [64, '1.0.0', '1.0.63'],
        [63, '1.0.64', '1.0.126'],
      ],
    ],
  ] as const)('inlines every page for %i versions', (count, expected) => {
    const { layout, content } = buildLayout(registration, many(count));
    const index = registrationIndex(links, hive2, layout, content)!;
    expect(index.count).toBe(expected.length);
    index.items.forEach((page, i) => {
      const [n, lower, upper] = expected[i]!;
      expect(page).toMatchObject({ '@id': `${index['@id']}#page/${i}`, count: n, lower, upper, parent: index['@id'] });
      expect(page.items).toHaveLength(n);
    });
  });

  it.each([
    [128, [64, 64]],
    [300, [64, 64, 64, 64, 44]],
  ])('holds stubs for %i versions, each naming its page document', (count, sizes) => {
    const { layout, content } = buildLayout(registration, many(count));
    const index = registrationIndex(links, hive2, layout)!;
    expect(index.items.map((page) => page.count)).toEqual(sizes);
    const pages = pagesOf(hive2, layout).map((page) => registrationPage(links, hive2, registration, page, content));
    expect(pages.map((page) => page.items!.length)).toEqual(sizes);
    index.items.forEach((stub, i) => {
      const page = pages[i]!;
      expect(stub).not.toHaveProperty('items');
      expect(stub).not.toHaveProperty('parent');
      expect(stub['@id']).toBe(`${base2}/page/${i}.json`);
      expect(page).toMatchObject({ '@id': stub['@id'], lower: stub.lower, upper: stub.upper, count: stub.count });
      expect(page.parent).toBe(index['@id']);
      expect(page.items![0]!.catalogEntry.version).toBe(stub.lower);
      expect(page.items![page.items!.length - 1]!.catalogEntry.version).toBe(stub.upper);
    });
  });

  it('lists pages in version order by their stable numbers, not by rank', () => {
    const pageOf = (rank: number) => (rank < 33 ? 0 : rank < 64 ? 2 : 1);
    const inlined = buildLayout(registration, many(100), { pageOf });
    expect(registrationIndex(links, hive2, inlined.layout, inlined.content)!.items.map((page) => page['@id'])).toEqual(
      [0, 2, 1].map((n) => `${base2}/index.json#page/${n}`),
    );
    const paged = buildLayout(registration, many(160), { pageOf: (rank) => (rank < 96 ? pageOf(rank) : 3) });
    const stubs = registrationIndex(links, hive2, paged.layout)!.items;
    expect(stubs.map((stub) => [stub['@id'], stub.lower, stub.upper])).toEqual([
      [`${base2}/page/0.json`, '1.0.0', '1.0.32'],
      [`${base2}/page/2.json`, '1.0.33', '1.0.63'],
      [`${base2}/page/1.json`, '1.0.64', '1.0.95'],
      [`${base2}/page/3.json`, '1.0.96', '1.0.159'],
    ]);
  });

  it('needs every inlined version in its content, and none for stubs', () => {
    const small = buildLayout(registration, many(3));
    const partial = { ...small.content, records: new Map([...small.content.records].slice(1)) };
    expect(() => registrationIndex(links, hive2, small.layout)).toThrow(/without its versions/);
    expect(() => registrationIndex(links, hive2, small.layout, partial)).toThrow(/lacks 1\.0\.0/);
    const [page] = pagesOf(hive2, small.layout);
    expect(() => registrationPage(links, hive2, registration, page!, partial)).toThrow(/lacks 1\.0\.0/);
    expect(registrationIndex(links, hive2, buildLayout(registration, many(128)).layout)!.count).toBe(2);
    // A summary that disagrees with the page's rows is an error, not a wrong count.
    const miscounted = {
      ...small.layout,
      pages: small.layout.pages.map((row) => ({ ...row, semver2: { ...row.semver2!, count: 4 } })),
    };
    expect(() => registrationIndex(links, hive2, miscounted, small.content)).toThrow(
      /holds 3 versions at semver2, not 4/,
    );
  });
});

describe('registrationIndex per hive level (protocol §4.8)', () => {
  // 100 SemVer 1 versions, then 40 SemVer 2 ones: pages 0 (64), 1 (36 + 28) and 2 (12, all SemVer 2).
  const records = [...many(100), ...versionRun('Contoso.Widgets', 40, 'semver2', 2)];
  const { layout, content } = buildLayout(registration, records);

  it('inlines a SemVer 1 hive that shows ≤ 127 versions while the SemVer 2 hive holds stubs', () => {
    const semver2 = registrationIndex(links, hive2, layout)!;
    expect(semver2.items.map((page) => [page.count, 'items' in page])).toEqual([
      [64, false],
      [64, false],
      [12, false],
    ]);
    for (const hive of ['semver1', 'semver1-gz'] as const) {
      const semver1 = registrationIndex(links, hive, layout, content)!;
      expect(semver1.items.map((page) => [page.count, page.lower, page.upper, page.items!.length])).toEqual([
        [64, '1.0.0', '1.0.63', 64],
        [36, '1.0.64', '1.0.99', 36],
      ]);
    }
    expect(registrationIndex(links, 'semver1', layout, content)!['@id']).toBe(
      'https://pkgs.example.dev/v3/registration/contoso.widgets/index.json',
    );
  });

  it('omits SemVer 2 versions and their pages from SemVer 1 hives, and has no index when none is left', () => {
    const mixed = buildLayout(registration, [record('1.0.0'), record('2.0.0-beta.1'), record('3.0.0+b')]);
    const semver1 = registrationIndex(links, 'semver1', mixed.layout, mixed.content)!;
    expect(semver1.items[0]!.items!.map((item) => item.catalogEntry.version)).toEqual(['1.0.0']);
    expect(registrationIndex(links, hive2, mixed.layout, mixed.content)!.items[0]!.count).toBe(3);
    const onlySemVer2 = buildLayout(registration, [record('1.0.0-a.b')]);
    expect(registrationIndex(links, 'semver1', onlySemVer2.layout, onlySemVer2.content)).toBeNull();
    expect(registrationIndex(links, hive2, buildLayout(registration, []).layout)).toBeNull();
  });
});

describe('registration commits', () => {
  const times = (created: string, published: string, lastEdited = '') => ({ created, published, lastEdited });
  const records = [
    record('1.0.0', times('2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')),
    record('1.1.0', times('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')),
    record('2.0.0', times('2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')),
  ];
  const generations = { 0: { semver1: 2, semver2: 3 }, 1: { semver1: 5, semver2: 6 } };
  const { layout, content } = buildLayout(registration, records, { pageOf: (rank) => (rank < 2 ? 0 : 1), generations });

  it('takes a SemVer 1 index’s time from the versions it shows, not from newer SemVer 2 ones', () => {
    const newer = record('3.0.0-a.b', {
      ...times('2026-09-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z'),
      isSemVer2: true,
    });
    const mixed = buildLayout(registration, [...records, newer]);
    expect(registrationIndex(links, 'semver1', mixed.layout, mixed.content)!.commitTimeStamp).toBe(
      '2026-04-01T00:00:00.000Z',
    );
    expect(registrationIndex(links, hive2, mixed.layout, mixed.content)!.commitTimeStamp).toBe(
      '2026-09-01T00:00:00.000Z',
    );
  });

  it('takes a page’s commit from its own generation and versions, the index’s from the registration', () => {
    const index = registrationIndex(links, hive2, layout, content)!;
    expect(index).toMatchObject(registrationCommit('contoso.widgets', 7, records.map(touchedOf)));
    expect(index.commitId).toMatch(/-000000000007$/);
    expect(index.commitTimeStamp).toBe('2026-04-01T00:00:00.000Z');
    const [first, second] = index.items;
    expect(first).toMatchObject({ commitId: expect.stringMatching(/-000000000003$/) });
    expect(first!.commitTimeStamp).toBe('2026-04-01T00:00:00.000Z');
    expect(second).toMatchObject({ commitId: expect.stringMatching(/-000000000006$/) });
    expect(second!.commitTimeStamp).toBe('2026-02-01T00:00:00.000Z');
    for (const page of index.items) {
      for (const item of page.items!) {
        expect([item.commitId, item.commitTimeStamp]).toEqual([page.commitId, page.commitTimeStamp]);
      }
    }
  });

  it('takes the SemVer 1 level’s page generations for SemVer 1 hives', () => {
    const index = registrationIndex(links, 'semver1-gz', layout, content)!;
    expect(index.items.map((page) => page.commitId.slice(-2))).toEqual(['02', '05']);
    expect(index.commitId).toMatch(/-000000000007$/);
  });

  it('gives a page document the same commit as its stub, and its leaf items too', () => {
    const big = buildLayout(registration, many(130), { generations: { 1: { semver2: 4 } } });
    const stubs = registrationIndex(links, hive2, big.layout)!.items;
    const pages = pagesOf(hive2, big.layout).map((page) =>
      registrationPage(links, hive2, registration, page, big.content),
    );
    expect(pages.map((page) => page.commitId.slice(-1))).toEqual(['7', '4', '7']);
    pages.forEach((page, i) => {
      expect([page.commitId, page.commitTimeStamp]).toEqual([stubs[i]!.commitId, stubs[i]!.commitTimeStamp]);
      for (const item of page.items!) expect(item.commitId).toBe(page.commitId);
    });
  });

  it('builds index and leaf items with every documented field', () => {
    const one = buildLayout(registration, [record('1.0.0')], { catalogLeaves: new Map([['1.0.0', 12]]) });
    const index = registrationIndex(links, hive2, one.layout, one.content)!;
    expect(index).toMatchObject({
      '@id': `${base2}/index.json`,
      '@type': ['catalog:CatalogRoot', 'PackageRegistration', 'catalog:Permalink'],
      count: 1,
    });
    const page = index.items[0]!;
    expect(page).toMatchObject({ '@type': 'catalog:CatalogPage', commitId: index.commitId });
    expect(page.items![0]).toMatchObject({
      '@id': `${base2}/1.0.0.json`,
      '@type': 'Package',
      commitId: page.commitId,
      commitTimeStamp: page.commitTimeStamp,
      packageContent: 'https://pkgs.example.dev/v3/flat/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg',
      registration: index['@id'],
    });
    expect(page.items![0]!.catalogEntry['@id']).toBe(
      'https://pkgs.example.dev/v3/catalog/data/12/contoso.widgets.1.0.0.json',
    );
  });
});
