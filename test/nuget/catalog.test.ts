import { describe, expect, it } from 'vitest';
import { feedLinks } from '../../src/links';
import { catalogIndex, catalogLeaf, catalogPage, commitTimeStamp, type CatalogItem } from '../../src/nuget/catalog';
import { versionRecord } from '../support/records';

const links = feedLinks('https://pkgs.example.dev');

function item(seq: number, commitUs: number, overrides: Partial<CatalogItem> = {}): CatalogItem {
  const details = versionRecord('Contoso.Widgets', `1.0.${seq}`);
  return {
    seq,
    commitUs,
    commitId: `c${seq}`,
    itemType: 'PackageDetails',
    lowerId: details.lowerId,
    lowerVersion: details.lowerVersion,
    id: details.id,
    version: details.version,
    details,
    ...overrides,
  };
}

describe('commitTimeStamp', () => {
  it('writes 7 fractional digits and Z from microseconds (§7.1)', () => {
    expect(commitTimeStamp(0)).toBe('1970-01-01T00:00:00.0000000Z');
    expect(commitTimeStamp(Date.UTC(2025, 2, 1, 10, 0, 2) * 1000 + 123_456)).toBe('2025-03-01T10:00:02.1234560Z');
    expect(commitTimeStamp(Date.UTC(2025, 2, 1) * 1000 + 1)).toBe('2025-03-01T00:00:00.0000010Z');
    expect(commitTimeStamp(Date.UTC(2025, 2, 1) * 1000 + 999_999)).toBe('2025-03-01T00:00:00.9999990Z');
  });

  it('sorts as text in commit order', () => {
    const stamps = [1, 2, 999_999, 1_000_000, 59_999_999].map((us) => commitTimeStamp(1_700_000_000_000_000 + us));
    expect([...stamps].sort()).toEqual(stamps);
  });
});

describe('catalogIndex', () => {
  it('is valid when empty', () => {
    const index = catalogIndex(links, []);
    expect(index).toMatchObject({
      '@id': 'https://pkgs.example.dev/v3/catalog/index.json',
      count: 0,
      items: [],
      commitTimeStamp: '1970-01-01T00:00:00.0000000Z',
    });
    expect(typeof index.commitId).toBe('string');
  });

  it('takes the newest commit over all pages', () => {
    const index = catalogIndex(links, [
      { page: 0, count: 550, commitUs: 10, commitId: 'a' },
      { page: 1, count: 2, commitUs: 20, commitId: 'b' },
    ]);
    expect(index.commitId).toBe('b');
    expect(index.count).toBe(2);
    expect(index.items[1]).toEqual({
      '@id': 'https://pkgs.example.dev/v3/catalog/page1.json',
      '@type': 'CatalogPage',
      commitId: 'b',
      commitTimeStamp: commitTimeStamp(20),
      count: 2,
    });
  });
});

describe('catalogPage', () => {
  it('names its parent and its newest commit', () => {
    const page = catalogPage(links, 3, [item(1651, 100), item(1652, 200, { itemType: 'PackageDelete' })]);
    expect(page).toMatchObject({ commitId: 'c1652', commitTimeStamp: commitTimeStamp(200), count: 2 });
    expect(page.parent).toBe(links.catalogIndex);
    expect(page['@id']).toBe('https://pkgs.example.dev/v3/catalog/page3.json');
    expect(page.items.map((i) => i['@type'])).toEqual(['nuget:PackageDetails', 'nuget:PackageDelete']);
    expect(page.items[0]?.['@id']).toBe('https://pkgs.example.dev/v3/catalog/data/1651/contoso.widgets.1.0.1651.json');
  });
});

describe('catalogLeaf', () => {
  it('serves the embedded icon from the flat container, else the nuspec iconUrl', () => {
    const embedded = item(1, 1);
    embedded.details = { ...embedded.details, iconContentType: 'image/png', iconUrl: 'https://x.test/i.png' };
    expect(catalogLeaf(links, embedded)).toMatchObject({ iconUrl: links.icon('contoso.widgets', '1.0.1') });
    const linked = item(2, 2);
    linked.details = { ...linked.details, iconUrl: 'https://x.test/i.png' };
    expect(catalogLeaf(links, linked)).toMatchObject({ iconUrl: 'https://x.test/i.png' });
  });

  it('omits targetFramework for the framework-agnostic group and range when none was given', () => {
    const leaf = item(1, 1);
    leaf.details = {
      ...leaf.details,
      dependencyGroups: [{ dependencies: [{ id: 'A', range: '' }] }],
    };
    expect(catalogLeaf(links, leaf)).toMatchObject({ dependencyGroups: [{ dependencies: [{ id: 'A' }] }] });
    expect(JSON.stringify(catalogLeaf(links, leaf))).not.toContain('targetFramework');
  });
});
