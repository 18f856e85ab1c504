import { describe, expect, it } from 'vitest';
import { pageNumberOfUrl } from '../../src/linkParams';
import { feedLinks, storedLinks } from '../../src/links';
import { catalogEntry, UNLISTED_PUBLISHED } from '../../src/nuget/catalogEntry';
import { versionsIndex } from '../../src/nuget/flatContainer';
import {
  locateLeaf,
  pagesOf,
  registrationIndex,
  registrationLeaf,
  registrationPage,
} from '../../src/nuget/registration';
import type { PackageRegistration } from '../../src/nuget/types';
import { parseVersion } from '../../src/nuget/version';
import { versionRecord } from '../support/records';
import { buildLayout, versionRun } from './registrationFixtures';

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

describe('leaf documents (protocol §4.9)', () => {
  const v = (text: string) => parseVersion(text)!;

  it('derives the leaf document from its leaf item', () => {
    const { layout, content } = buildLayout(registration, [record('1.0.0', { listed: false })]);
    const item = registrationIndex(links, hive2, layout, content)!.items[0]!.items![0]!;
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

  it('locates a leaf in inlined pages, or nowhere', () => {
    const { layout, content } = buildLayout(registration, many(70));
    const index = registrationIndex(links, hive2, layout, content)!;
    const found = locateLeaf(index.items, v('1.0.65'));
    expect(found && 'item' in found && found.item.catalogEntry.version).toBe('1.0.65');
    expect(locateLeaf(index.items, v('1.0.70'))).toBeNull();
    expect(locateLeaf(index.items, v('0.9.0'))).toBeNull();
  });

  it('locates a leaf behind a stub, whose @id names the page document to read', () => {
    const { layout, content } = buildLayout(registration, many(200));
    const index = registrationIndex(links, hive2, layout)!;
    const stub = locateLeaf(index.items, v('1.0.130'));
    if (!stub || !('stub' in stub)) throw new Error('expected a stub');
    expect([stub.stub.lower, stub.stub.upper]).toEqual(['1.0.128', '1.0.191']);
    const number = pageNumberOfUrl(stub.stub['@id']);
    expect(number).toBe(2);
    const hivePage = pagesOf(hive2, layout).find((page) => page.page === number)!;
    const document = registrationPage(links, hive2, registration, hivePage, content);
    const item = locateLeaf([document], v('1.0.130.0'));
    expect(item && 'item' in item && item.item['@id']).toMatch(/\/1\.0\.130\.json$/);
    expect(locateLeaf([document], v('1.0.127'))).toBeNull();
  });

  it('finds the stub of a page numbered out of order (after a split), and leaves gaps between pages empty', () => {
    // NuGet order 1.0.0-63 (page 0), 1.0.64-99 (page 2, split off page 0 later), 3.0.x (page 1).
    const records = [...many(100), ...versionRun('Contoso.Widgets', 60, 'semver1', 3)];
    const pageOf = (rank: number) => (rank < 64 ? 0 : rank < 100 ? 2 : 1);
    const { layout } = buildLayout(registration, records, { pageOf });
    const index = registrationIndex(storedLinks(), hive2, layout)!;
    const numberOf = (version: string) => {
      const found = locateLeaf(index.items, v(version));
      return found && 'stub' in found ? pageNumberOfUrl(found.stub['@id']) : undefined;
    };
    expect([numberOf('1.0.3'), numberOf('1.0.70'), numberOf('3.0.7')]).toEqual([0, 2, 1]);
    expect(locateLeaf(index.items, v('2.0.0'))).toBeNull();
  });

  it('reads a page number only from a page document URL', () => {
    expect(pageNumberOfUrl(links.registrationPage(hive2, 'contoso.widgets', 0))).toBe(0);
    expect(pageNumberOfUrl(storedLinks().registrationPage('semver1', 'page', 17))).toBe(17);
    expect(pageNumberOfUrl(`${links.registrationIndex(hive2, 'contoso.widgets')}#page/3`)).toBeNull();
    expect(pageNumberOfUrl(links.registrationIndex(hive2, 'contoso.widgets'))).toBeNull();
    expect(pageNumberOfUrl(links.registrationLeaf(hive2, 'contoso.widgets', '1.0.0'))).toBeNull();
    expect(pageNumberOfUrl('https://pkgs.example.dev/v3/registration/x/page/1.0.0/2.0.0.json')).toBeNull();
    expect(pageNumberOfUrl('https://pkgs.example.dev/v3/registration/x/page/01.json')).toBeNull();
  });
});

describe('versionsIndex (protocol §3.2)', () => {
  it('lists every lower version in the order given (the SQL orders them by sort_key)', () => {
    const { layout } = buildLayout(registration, [
      record('2.0.0+meta', { lowerVersion: '2.0.0', isSemVer2: true }),
      record('1.0.0-Beta', { listed: false }),
      record('1.0.0'),
      record('1.0.0-alpha.1'),
    ]);
    expect(versionsIndex(layout.versions)).toEqual({ versions: ['1.0.0-alpha.1', '1.0.0-beta', '1.0.0', '2.0.0'] });
    expect(versionsIndex(['b', 'a'])).toEqual({ versions: ['b', 'a'] });
    expect(versionsIndex([])).toEqual({ versions: [] });
  });
});
