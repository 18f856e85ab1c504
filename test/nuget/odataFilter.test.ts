/**
 * The V2 feed's pure parsers: $filter (the subset clients send, 400 for the rest), the query
 * options, the OData resource path, and the entry's Dependencies text.
 */
import { describe, expect, it } from 'vitest';
import { parseODataFilter } from '../../src/nuget/odataFilter';
import { pageTake, parseV2Query } from '../../src/nuget/odataQuery';
import { parseV2SearchTerm } from '../../src/nuget/odataSearchTerm';
import { shortFramework, v2Dependencies } from '../../src/nuget/v2Entry';
import { parseODataPath, v2Links } from '../../src/odataLinks';
import { isFailure } from '../../src/problems';

const text = (field: string, match: string, value: string, lower = false) => ({
  kind: 'text',
  match,
  field,
  lower,
  value,
});

describe('parseODataFilter', () => {
  it('reads the shapes clients send', () => {
    expect(parseODataFilter('IsLatestVersion')).toEqual({ kind: 'flag', field: 'IsLatestVersion' });
    expect(parseODataFilter("(tolower(Id) eq 'contoso.lib') and IsLatestVersion eq true")).toEqual({
      kind: 'and',
      left: text('Id', 'eq', 'contoso.lib', true),
      right: { kind: 'flag', field: 'IsLatestVersion' },
    });
    expect(parseODataFilter("(Tags ne null) and substringof(' it''s ',tolower(Tags))")).toEqual({
      kind: 'and',
      left: { kind: 'present', field: 'Tags', present: true },
      right: text('Tags', 'contains', " it's ", true),
    });
    expect(parseODataFilter("startswith(tolower(Id),'con') or endswith(Id,'.Lib')")).toEqual({
      kind: 'or',
      left: text('Id', 'startswith', 'con', true),
      right: text('Id', 'endswith', '.Lib'),
    });
  });

  it('binds and tighter than or, and reads not, ne and flags compared with false', () => {
    const tree = parseODataFilter("Id eq 'a' or Id eq 'b' and not IsPrerelease");
    expect(tree).toEqual({
      kind: 'or',
      left: text('Id', 'eq', 'a'),
      right: {
        kind: 'and',
        left: text('Id', 'eq', 'b'),
        right: { kind: 'not', operand: { kind: 'flag', field: 'IsPrerelease' } },
      },
    });
    expect(parseODataFilter('IsAbsoluteLatestVersion eq false')).toEqual({
      kind: 'not',
      operand: { kind: 'flag', field: 'IsAbsoluteLatestVersion' },
    });
    expect(parseODataFilter("'1.0' ne Version")).toEqual(text('Version', 'ne', '1.0'));
    expect(parseODataFilter('islatestversion')).toEqual({ kind: 'flag', field: 'IsLatestVersion' });
  });

  it('refuses everything else, naming what', () => {
    const cases: [string, string][] = [
      ['DownloadCount gt 5', "'DownloadCount'"],
      ["substringof(Id, 'x')", 'substringof'],
      ["Id eq 'x' and", 'expected'],
      ["Id eq 'x", 'not closed'],
      ['Id eq Title', 'compared'],
      ['tolower(Id) eq null', 'compared'],
      ['IsLatestVersion eq 1', 'compared'],
      ['(IsLatestVersion', "')' expected"],
      ['Id eq @p', "'@p'"],
      ['', 'empty'],
      [Array.from({ length: 31 }, () => "Id eq 'x'").join(' or '), 'more than 30'],
    ];
    for (const [filter, named] of cases) {
      const parsed = parseODataFilter(filter);
      expect(isFailure(parsed), filter).toBe(true);
      expect(isFailure(parsed) && parsed.message, filter).toContain(named);
    }
  });
});

describe('parseV2Query', () => {
  const q = (collection: 'Search' | 'FindPackagesById' | 'Packages' | 'GetUpdates', query: string) =>
    parseV2Query(collection, new URLSearchParams(query));

  it('reads function arguments as OData literals, and paging options', () => {
    expect(q('FindPackagesById', "id='Contoso.Lib'&$skip=40&$top=40&semVerLevel=2.0.0")).toMatchObject({
      lowerId: 'contoso.lib',
      skip: 40,
      top: 40,
      semVer2: true,
    });
    expect(q('Search', "searchTerm='it''s'&includePrerelease=true&$orderby=DownloadCount desc,Id")).toMatchObject({
      searchTerm: "it's",
      includePrerelease: true,
      orderBy: [
        { field: 'DownloadCount', descending: true },
        { field: 'Id', descending: false },
      ],
    });
    expect(q('Packages', '$select=Id,Version&$format=atom&targetFramework=')).toMatchObject({
      filter: null,
      top: null,
    });
  });

  it('refuses malformed or unsupported options', () => {
    for (const [collection, query] of [
      ['FindPackagesById', ''],
      ['FindPackagesById', "id='unclosed"],
      ['Search', '$top=-1'],
      ['Search', '$expand=x'],
      ['Search', '$format=json'],
      ['Search', 'includePrerelease=maybe'],
      ['GetUpdates', "packageIds='a|b'&versions='1.0.0'"],
      ['GetUpdates', "packageIds='a'&versions='x.y'"],
      ['GetUpdates', "packageIds='a'&versions='1.0.0'&versionConstraints='[nope'"],
    ] as const) {
      expect(isFailure(q(collection, query)), `${collection} ${query}`).toBe(true);
    }
  });

  it('pages by 100 at most, exactly $top below that', () => {
    expect(pageTake(null)).toEqual({ take: 100, serverPaged: true });
    expect(pageTake(40)).toEqual({ take: 40, serverPaged: false });
    expect(pageTake(250)).toEqual({ take: 100, serverPaged: true });
  });

  it("splits PowerShellGet's tag: terms off the search term", () => {
    const { query, tags } = parseV2SearchTerm('Contoso* tag:PSModule tag:PSCommand_Get-Thing');
    expect(tags).toEqual(['psmodule', 'pscommand_get-thing']);
    expect(query.text).toEqual([{ field: null, value: 'Contoso*' }]);
  });
});

describe('parseODataPath and the links', () => {
  it('tells the resources apart, with or without percent-encoding', () => {
    expect(parseODataPath('/api/v2')).toEqual({ kind: 'service' });
    expect(parseODataPath('/api/v2/')).toEqual({ kind: 'service' });
    expect(parseODataPath('/api/v2/%24metadata')).toEqual({ kind: 'metadata' });
    expect(parseODataPath("/api/v2/Packages(Id='A''s',Version='1.0')")).toEqual({
      kind: 'entry',
      id: "A's",
      version: '1.0',
    });
    expect(parseODataPath('/api/v2/Packages(Id=%27A%27,Version=%271.0%27)')).toEqual({
      kind: 'entry',
      id: 'A',
      version: '1.0',
    });
    expect(parseODataPath('/api/v2/Search()/$count')).toEqual({
      kind: 'collection',
      collection: 'Search',
      count: true,
    });
    expect(parseODataPath('/api/v2/Packages')).toEqual({ kind: 'collection', collection: 'Packages', count: false });
    expect(parseODataPath('/api/v2/findpackagesbyid()')).toMatchObject({ collection: 'FindPackagesById' });
    for (const path of ['/api/v2/FindPackagesById', '/api/v2/Other()', '/api/v2/%E0%A4%A', '/api/v2/Packages(Id=x)']) {
      expect(parseODataPath(path), path).toBeNull();
    }
  });

  it('builds absolute entry, content and next URLs', () => {
    const links = v2Links('https://feed.test');
    expect(links.entry("A's", '1.0.0')).toBe("https://feed.test/api/v2/Packages(Id='A''s',Version='1.0.0')");
    expect(links.content('Contoso.Lib', '1.0.0-beta')).toBe('https://feed.test/api/v2/package/Contoso.Lib/1.0.0-beta');
    const request = new URL(
      "https://feed.test/api/v2/Search()?%24filter=IsLatestVersion&searchTerm='a b'&$skip=0&$top=500",
    );
    expect(links.next(request, 100, 400)).toBe(
      "https://feed.test/api/v2/Search()?$filter=IsLatestVersion&searchTerm='a%20b'&$skip=100&$top=400",
    );
  });
});

describe('Dependencies', () => {
  it('writes id:range:tfm joined by |, frameworks in their short form', () => {
    expect(shortFramework('.NETFramework4.7.2')).toBe('net472');
    expect(shortFramework('.NETStandard2.0')).toBe('netstandard2.0');
    expect(shortFramework('.NETCoreApp3.1')).toBe('netcoreapp3.1');
    expect(shortFramework('.NETCoreApp8.0')).toBe('net8.0');
    expect(shortFramework('net8.0-windows7.0')).toBe('net8.0-windows7.0');
    expect(
      v2Dependencies([
        {
          dependencies: [
            { id: 'A', range: '[1.0.0, )' },
            { id: 'B', range: '' },
          ],
        },
        { targetFramework: '.NETFramework4.5', dependencies: [] },
        { targetFramework: 'net8.0', dependencies: [{ id: 'C', range: '[2.0.0]' }] },
      ]),
    ).toBe('A:[1.0.0, ):|B::|::net45|C:[2.0.0]:net8.0');
  });
});
