import { describe, expect, it } from 'vitest';
import { ftsMatch, MAX_TERMS, parseSearchParameters, parseSearchQuery } from '../../src/nuget/searchQuery';

const params = (query: string) => parseSearchParameters(new URLSearchParams(query));

describe('parseSearchParameters (§5.1)', () => {
  it('has nuget.org defaults', () => {
    expect(params('')).toEqual({ q: '', skip: 0, take: 20, prerelease: false, semVer2: false, packageType: null });
  });

  it('reads every parameter', () => {
    expect(params('q=+json+&skip=40&take=100&prerelease=TRUE&semVerLevel=2.0.0&packageType=DotnetTool')).toEqual({
      q: 'json',
      skip: 40,
      take: 100,
      prerelease: true,
      semVer2: true,
      packageType: 'dotnettool',
    });
  });

  it('turns garbage into defaults instead of failing', () => {
    for (const take of ['0', '-1', '1001', 'abc', '', '2.5', '1e3', '99999999999999999999']) {
      expect(params(`take=${take}`).take, take).toBe(20);
    }
    expect(params('take=1000').take).toBe(1000);
    expect(params('take=1').take).toBe(1);
    for (const skip of ['-1', '-99999999999999999999', 'abc', '', '1.5']) {
      expect(params(`skip=${skip}`).skip, skip).toBe(0);
    }
    expect(params('skip=3001').skip).toBe(3001);
    expect(params('skip=99999999999999999999').skip).toBe(2 ** 31 - 1);
    expect(params('prerelease=yes').prerelease).toBe(false);
    expect(params('prerelease=False').prerelease).toBe(false);
    expect(params('packageType=').packageType).toBeNull();
    expect(params('packageType=%20').packageType).toBeNull();
  });

  it('includes SemVer 2 only for semVerLevel >= 2.0.0', () => {
    expect(params('semVerLevel=2.0.0').semVer2).toBe(true);
    expect(params('semVerLevel=2').semVer2).toBe(true);
    expect(params('semVerLevel=3.0.0-beta').semVer2).toBe(true);
    expect(params('semVerLevel=1.0.0').semVer2).toBe(false);
    expect(params('semVerLevel=2.0.0-rc').semVer2).toBe(false);
    expect(params('semVerLevel=latest').semVer2).toBe(false);
  });
});

describe('parseSearchQuery (§5.2)', () => {
  it('treats plain words as AND-ed free text that also ranks exact ids', () => {
    expect(parseSearchQuery('Contoso.Widgets  ui')).toEqual({
      text: [
        { field: null, value: 'Contoso.Widgets' },
        { field: null, value: 'ui' },
      ],
      packageIds: [],
      versions: [],
      exactIds: ['contoso.widgets', 'ui'],
      packageTypes: [],
      matchesNothing: false,
    });
    expect(parseSearchQuery('')).toEqual({
      text: [],
      packageIds: [],
      versions: [],
      exactIds: [],
      packageTypes: [],
      matchesNothing: false,
    });
  });

  it('maps field names case-insensitively, including aliases', () => {
    const q = parseSearchQuery('ID:json Title:a TAG:b tags:c Author:d authors:e description:f SUMMARY:g');
    expect(q.text).toEqual([
      { field: 'id', value: 'json' },
      { field: 'title', value: 'a' },
      { field: 'tags', value: 'b' },
      { field: 'tags', value: 'c' },
      { field: 'authors', value: 'd' },
      { field: 'authors', value: 'e' },
      { field: 'description', value: 'f' },
      { field: 'summary', value: 'g' },
    ]);
    expect(q.exactIds).toEqual(['json']);
  });

  it('keeps quoted values whole, with or without a field', () => {
    expect(parseSearchQuery('title:"Fabrikam JSON" "exact phrase"').text).toEqual([
      { field: 'title', value: 'Fabrikam JSON' },
      { field: null, value: 'exact phrase' },
    ]);
    expect(parseSearchQuery('tags:"unterminated value').text).toEqual([{ field: 'tags', value: 'unterminated value' }]);
  });

  it('reads packageid as an exact id and version as a normalized version', () => {
    const q = parseSearchQuery('PackageId:Contoso.Widgets version:01.2 Version:1.0.0-BETA+meta');
    expect(q.packageIds).toEqual(['contoso.widgets']);
    expect(q.versions).toEqual(['1.2.0', '1.0.0-beta']);
    expect(q.text).toEqual([]);
    expect(q.exactIds).toEqual(['contoso.widgets']);
    expect(q.matchesNothing).toBe(false);
    expect(parseSearchQuery('version:not.a.version').matchesNothing).toBe(true);
  });

  it('drops unknown fields and makes owner terms match nothing', () => {
    expect(parseSearchQuery('invalid:foo bar').text).toEqual([{ field: null, value: 'bar' }]);
    // A query of unknown fields only matches nothing (nuget.org would match everything: issue 11 item 11).
    expect(parseSearchQuery('invalid:foo')).toMatchObject({ text: [], matchesNothing: true });
    expect(parseSearchQuery('foo:bar baz:"a b"').matchesNothing).toBe(true);
    expect(parseSearchQuery('owner:contoso').matchesNothing).toBe(true);
    expect(parseSearchQuery('json Owners:"Contoso"').matchesNothing).toBe(true);
  });

  it('reads packagetype as a package type filter, not as free text', () => {
    expect(parseSearchQuery('PackageType:Template json')).toMatchObject({
      packageTypes: ['template'],
      text: [{ field: null, value: 'json' }],
      matchesNothing: false,
    });
    expect(parseSearchQuery('packagetype:template')).toMatchObject({ text: [], matchesNothing: false });
  });

  it('drops text that holds no letter or digit', () => {
    expect(parseSearchQuery('* - ( ) " :').text).toEqual([]);
    expect(parseSearchQuery('tags:*').text).toEqual([]);
  });

  it(`keeps at most ${MAX_TERMS} terms`, () => {
    const q = parseSearchQuery(Array.from({ length: 40 }, (_, i) => `packageid:p${i} w${i}`).join(' '));
    expect(q.packageIds.length + q.text.length).toBe(MAX_TERMS);
    expect(q.exactIds.length).toBeLessThanOrEqual(MAX_TERMS);
  });
});

describe('ftsMatch', () => {
  const match = (q: string) => ftsMatch(parseSearchQuery(q).text);

  it('is null without text terms', () => {
    expect(match('')).toBeNull();
    expect(match('packageid:x version:1.0.0')).toBeNull();
  });

  it('quotes every term, prefix-matches free text and ids, scopes fields to columns', () => {
    expect(match('Contoso.Widgets')).toBe('"Contoso Widgets"*');
    expect(match('json tags:ui id:fab title:"a b" author:x description:y summary:z')).toBe(
      '"json"* AND tags : "ui" AND id : "fab"* AND title : "a b" AND authors : "x" AND description : "y" AND summary : "z"',
    );
  });

  it('never lets FTS5 operators or punctuation through unquoted', () => {
    expect(match('foo OR bar')).toBe('"foo"* AND "OR"* AND "bar"*');
    expect(match('NEAR(a b)')).toBe('"NEAR a"* AND "b"*');
    expect(match('"x" NOT y')).toBe('"x"* AND "NOT"* AND "y"*');
    expect(match('-widgets ^json {id}:x c#')).toBe('"widgets"* AND "json"* AND "id x"* AND "c"*');
    expect(match('title:"a""b*" o\'brien')).toBe('title : "a" AND "b"* AND "o brien"*');
    expect(match('Déjà_vu 日本語')).toBe('"Déjà vu"* AND "日本語"*');
    for (const q of ['"', '*', '(', ')', 'AND', ':', '""', 'a"b', '{x}', '+', '^']) {
      const fts = match(q) ?? '';
      expect(fts.replace(/"[^"]*"/g, ''), q).toMatch(/^[\sA-Za-z:*]*$/);
    }
  });
});
