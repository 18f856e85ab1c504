import { describe, expect, it } from 'vitest';
import { feedLinks } from '../../src/links';
import { catalogEntry, UNLISTED_PUBLISHED } from '../../src/nuget/catalogEntry';
import { versionsIndex } from '../../src/nuget/flatContainer';
import {
  locateLeaf,
  registrationCommit,
  registrationDocuments,
  registrationLeaf,
  type RegistrationPage,
} from '../../src/nuget/registration';
import type { PackageRegistration } from '../../src/nuget/types';
import { parseVersion } from '../../src/nuget/version';
import { versionRecord } from '../support/records';

const links = feedLinks('https://pkgs.example.dev');
const registration: PackageRegistration = { lowerId: 'contoso.widgets', id: 'Contoso.Widgets', generation: 7 };
const record = (version: string, overrides = {}) => versionRecord('Contoso.Widgets', version, overrides);
const many = (count: number) => Array.from({ length: count }, (_, i) => record(`1.0.${i}`));
const hive2 = 'semver2-gz' as const;

describe('catalogEntry (protocol §4.6)', () => {
  it('emits every field with nuget.org defaults for a bare version', () => {
    const entry = catalogEntry(links, hive2, registration, record('1.0.0'), 42);
    expect(entry).toEqual({
      // Issue 11 item 2: the catalog leaf the entry came from, not the registration leaf.
      '@id': 'https://pkgs.example.dev/v3/catalog/data/42/contoso.widgets.1.0.0.json',
      '@type': 'PackageDetails',
      id: 'Contoso.Widgets',
      version: '1.0.0',
      authors: 'EdgeGet Tests',
      copyright: '',
      description: 'Test package Contoso.Widgets.',
      summary: '',
      title: '',
      tags: [''],
      iconUrl: '',
      licenseExpression: '',
      licenseUrl: '',
      projectUrl: '',
      language: '',
      minClientVersion: '',
      requireLicenseAcceptance: false,
      listed: true,
      published: '2026-01-01T00:00:00.000Z',
      packageContent: 'https://pkgs.example.dev/v3/flat/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg',
    });
  });

  it('fills metadata, derived URLs and the full version', () => {
    const entry = catalogEntry(
      links,
      hive2,
      registration,
      record('2.1.0-Beta.2+sha.5114f85', {
        lowerVersion: '2.1.0-beta.2',
        tags: ' widgets  ui ',
        iconContentType: 'image/png',
        iconUrl: 'https://example.dev/ignored.png',
        licenseExpression: 'MIT OR Apache-2.0',
        hasReadme: true,
        title: 'Widgets',
        summary: 'Short.',
        projectUrl: 'https://github.com/contoso/widgets',
        language: 'en-US',
        minClientVersion: '5.0.0',
        requireLicenseAcceptance: true,
      }),
    );
    expect(entry.version).toBe('2.1.0-Beta.2+sha.5114f85');
    expect(entry.tags).toEqual(['widgets', 'ui']);
    expect(entry.iconUrl).toBe('https://pkgs.example.dev/v3/flat/contoso.widgets/2.1.0-beta.2/icon');
    expect(entry.licenseUrl).toBe('https://licenses.nuget.org/MIT%20OR%20Apache-2.0');
    expect(entry.readmeUrl).toBe('https://pkgs.example.dev/packages/Contoso.Widgets/2.1.0-Beta.2');
    expect(entry).toMatchObject({
      title: 'Widgets',
      summary: 'Short.',
      projectUrl: 'https://github.com/contoso/widgets',
      language: 'en-US',
      minClientVersion: '5.0.0',
      requireLicenseAcceptance: true,
    });
  });

  it('keeps the nuspec iconUrl and licenseUrl when nothing is embedded', () => {
    const entry = catalogEntry(
      links,
      hive2,
      registration,
      record('1.0.0', { iconUrl: 'https://x.dev/i.png', licenseUrl: 'https://x.dev/l', licenseExpression: 'MIT' }),
    );
    expect(entry.iconUrl).toBe('https://x.dev/i.png');
    expect(entry.licenseUrl).toBe('https://x.dev/l');
    expect(entry).not.toHaveProperty('readmeUrl');
  });

  it('signals unlisted both ways (pitfall 7)', () => {
    const entry = catalogEntry(links, hive2, registration, record('1.0.0', { listed: false }));
    expect(entry.listed).toBe(false);
    expect(entry.published).toBe(UNLISTED_PUBLISHED);
  });

  it('omits targetFramework and empty dependencies; any-range and registration in the same hive', () => {
    const entry = catalogEntry(
      links,
      'semver1-gz',
      registration,
      record('1.0.0', {
        dependencyGroups: [
          { targetFramework: 'net8.0', dependencies: [{ id: 'Contoso.Core', range: '[1.4.0, 2.0.0)' }] },
          { dependencies: [{ id: 'Other', range: '' }] },
          { targetFramework: '.NETStandard2.0', dependencies: [] },
        ],
      }),
    );
    expect(entry.dependencyGroups).toEqual([
      {
        targetFramework: 'net8.0',
        dependencies: [
          {
            id: 'Contoso.Core',
            range: '[1.4.0, 2.0.0)',
            registration: 'https://pkgs.example.dev/v3/registration-gz/contoso.core/index.json',
          },
        ],
      },
      {
        dependencies: [
          { id: 'Other', range: '(, )', registration: 'https://pkgs.example.dev/v3/registration-gz/other/index.json' },
        ],
      },
      { targetFramework: '.NETStandard2.0' },
    ]);
    expect(catalogEntry(links, hive2, registration, record('1.0.0'))).not.toHaveProperty('dependencyGroups');
  });
});

describe('registrationDocuments (protocol §4.7, §4.8)', () => {
  it('orders leaves by NuGet precedence and bounds pages exactly', () => {
    const versions = ['1.10.0', '1.2.0', '1.0.0', '1.0.0-beta', '1.0.0-alpha', '1.0.0.1'].map((v) => record(v));
    const docs = registrationDocuments(links, hive2, registration, versions)!;
    const page = docs.index.items[0]!;
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

  it('strips metadata from bounds and keeps label casing', () => {
    const docs = registrationDocuments(links, hive2, registration, [
      record('1.0.0-RC.1+build.5', { lowerVersion: '1.0.0-rc.1' }),
      record('2.0.0+abc', { lowerVersion: '2.0.0' }),
    ])!;
    const page = docs.index.items[0]!;
    expect(page).toMatchObject({ lower: '1.0.0-RC.1', upper: '2.0.0' });
    expect(page['@id']).toBe(
      'https://pkgs.example.dev/v3/registration-gz-semver2/contoso.widgets/index.json#page/1.0.0-RC.1/2.0.0',
    );
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
    const docs = registrationDocuments(links, hive2, registration, many(count))!;
    expect(docs.pages).toEqual([]);
    expect(docs.index.count).toBe(expected.length);
    docs.index.items.forEach((page, i) => {
      const [n, lower, upper] = expected[i]!;
      expect(page).toMatchObject({ count: n, lower, upper, parent: docs.index['@id'] });
      expect(page.items).toHaveLength(n);
    });
  });

  it.each([
    [128, [64, 64]],
    [300, [64, 64, 64, 64, 44]],
  ])('pages %i versions into stubs and page documents', (count, sizes) => {
    const docs = registrationDocuments(links, hive2, registration, many(count))!;
    expect(docs.index.items.map((page) => page.count)).toEqual(sizes);
    expect(docs.pages.map((page) => page.items!.length)).toEqual(sizes);
    docs.index.items.forEach((stub, i) => {
      const page = docs.pages[i]!;
      expect(stub).not.toHaveProperty('items');
      expect(stub).not.toHaveProperty('parent');
      expect(stub['@id']).toBe(
        `https://pkgs.example.dev/v3/registration-gz-semver2/contoso.widgets/page/${stub.lower}/${stub.upper}.json`,
      );
      expect(page).toMatchObject({ '@id': stub['@id'], lower: stub.lower, upper: stub.upper });
      expect(page.parent).toBe(docs.index['@id']);
      expect(page.items![0]!.catalogEntry.version).toBe(stub.lower);
      expect(page.items![page.items!.length - 1]!.catalogEntry.version).toBe(stub.upper);
    });
  });

  it('hides SemVer 2 versions from SemVer 1 hives, and has no document when none is left', () => {
    const versions = [record('1.0.0'), record('2.0.0-beta.1'), record('3.0.0', { isSemVer2: true })];
    const semver1 = registrationDocuments(links, 'semver1', registration, versions)!;
    expect(semver1.index.items[0]!.items!.map((item) => item.catalogEntry.version)).toEqual(['1.0.0']);
    expect(semver1.index['@id']).toBe('https://pkgs.example.dev/v3/registration/contoso.widgets/index.json');
    const semver2 = registrationDocuments(links, hive2, registration, versions)!;
    expect(semver2.index.items[0]!.count).toBe(3);
    expect(registrationDocuments(links, 'semver1', registration, [record('1.0.0-a.b')])).toBeNull();
    expect(registrationDocuments(links, hive2, registration, [])).toBeNull();
  });

  it('builds index and leaf items with every documented field', () => {
    const docs = registrationDocuments(links, hive2, registration, [record('1.0.0')])!;
    const { commitId, commitTimeStamp } = docs.index;
    expect(docs.index).toMatchObject({
      '@id': 'https://pkgs.example.dev/v3/registration-gz-semver2/contoso.widgets/index.json',
      '@type': ['catalog:CatalogRoot', 'PackageRegistration', 'catalog:Permalink'],
      count: 1,
    });
    const page = docs.index.items[0]!;
    expect(page).toMatchObject({ '@type': 'catalog:CatalogPage', commitId, commitTimeStamp });
    expect(page.items![0]).toMatchObject({
      '@id': 'https://pkgs.example.dev/v3/registration-gz-semver2/contoso.widgets/1.0.0.json',
      '@type': 'Package',
      commitId,
      commitTimeStamp,
      packageContent: 'https://pkgs.example.dev/v3/flat/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg',
      registration: docs.index['@id'],
    });
  });
});

describe('registrationCommit', () => {
  it('is derived from the generation and the newest time, deterministically', () => {
    const versions = [
      record('1.0.0', { created: '2026-01-01T00:00:00.000Z', published: '2026-03-01T00:00:00.000Z' }),
      record('2.0.0', { created: '2026-02-01T00:00:00.000Z', published: '2026-02-01T00:00:00.000Z' }),
    ];
    const commit = registrationCommit(registration, versions);
    expect(commit).toEqual(registrationCommit(registration, versions));
    expect(commit.commitTimeStamp).toBe('2026-03-01T00:00:00.000Z');
    expect(commit.commitId).toMatch(/^[0-9a-f]{8}-0000-8000-8000-000000000007$/);
    expect(registrationCommit({ ...registration, generation: 8 }, versions).commitId).not.toBe(commit.commitId);
    expect(registrationCommit({ ...registration, lowerId: 'other' }, versions).commitId).not.toBe(commit.commitId);
  });
});

describe('leaf documents (protocol §4.9)', () => {
  it('derives the leaf document from its leaf item', () => {
    const docs = registrationDocuments(links, hive2, registration, [record('1.0.0', { listed: false })])!;
    const item = docs.index.items[0]!.items![0]!;
    expect(registrationLeaf(item)).toEqual({
      '@id': item['@id'],
      '@type': ['Package', 'http://schema.nuget.org/catalog#Permalink'],
      catalogEntry: item.catalogEntry['@id'],
      listed: false,
      packageContent: item.packageContent,
      published: UNLISTED_PUBLISHED,
      registration: item.registration,
    });
  });

  it('locates a leaf in inlined pages, behind stubs, or nowhere', () => {
    const v = (text: string) => parseVersion(text)!;
    const inlined = registrationDocuments(links, hive2, registration, many(70))!;
    const found = locateLeaf(inlined.index.items, v('1.0.65'));
    expect(found && 'item' in found && found.item.catalogEntry.version).toBe('1.0.65');
    expect(locateLeaf(inlined.index.items, v('1.0.70'))).toBeNull();

    const paged = registrationDocuments(links, hive2, registration, many(200))!;
    const stub = locateLeaf(paged.index.items, v('1.0.130'));
    expect(stub && 'stub' in stub && [stub.stub.lower, stub.stub.upper]).toEqual(['1.0.128', '1.0.191']);
    const page = paged.pages[2] as RegistrationPage;
    const item = locateLeaf([page], v('1.0.130.0'));
    expect(item && 'item' in item && item.item['@id']).toMatch(/\/1\.0\.130\.json$/);
  });
});

describe('versionsIndex (protocol §3.2)', () => {
  it('lists every version lowercase, normalized, without metadata, ascending', () => {
    const index = versionsIndex([
      record('2.0.0+meta', { lowerVersion: '2.0.0', isSemVer2: true }),
      record('1.0.0-Beta', { listed: false }),
      record('1.0.0'),
      record('1.0.0-alpha.1'),
    ]);
    expect(index).toEqual({ versions: ['1.0.0-alpha.1', '1.0.0-beta', '1.0.0', '2.0.0'] });
  });
});
