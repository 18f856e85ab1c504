import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { setListedStatements } from '../src/store/packages';
import { FEED, search, searchSeed, seedSearchFeed } from './support/searchSeed';

const ids = async (query: string) => (await search(query)).data.map((p: any) => p.id);

beforeAll(seedSearchFeed);

describe('search results (§5.3)', () => {
  it('emits every field with the right JSON types, from the latest stable SemVer 1 version', async () => {
    const body = await search('?q=packageid:Contoso.Widgets');
    expect(body.totalHits).toBe(1);
    expect(body['@context']).toEqual({
      '@vocab': 'http://schema.nuget.org/schema#',
      '@base': `${FEED}/v3/registration/`,
    });
    const [p] = body.data;
    expect(p).toEqual({
      '@id': `${FEED}/v3/registration/contoso.widgets/index.json`,
      '@type': 'Package',
      registration: `${FEED}/v3/registration/contoso.widgets/index.json`,
      id: 'Contoso.Widgets',
      version: '1.5.0',
      copyright: '',
      description: 'Widgets for Contoso apps.',
      summary: '',
      title: 'Contoso.Widgets',
      iconUrl: 'https://contoso.example/icon.png',
      licenseUrl: 'https://licenses.nuget.org/MIT%20OR%20Apache-2.0',
      projectUrl: 'https://github.com/contoso/widgets',
      tags: ['ui', 'widgets'],
      authors: ['Contoso, Jane Doe'],
      totalDownloads: 360,
      verified: false,
      packageTypes: [{ name: 'Dependency' }],
      versions: [
        { version: '1.0.0', downloads: 100, '@id': `${FEED}/v3/registration/contoso.widgets/1.0.0.json` },
        { version: '1.5.0', downloads: 200, '@id': `${FEED}/v3/registration/contoso.widgets/1.5.0.json` },
      ],
      vulnerabilities: [],
    });
    expect(p).not.toHaveProperty('owners');
  });

  it('prerelease=true (any casing) moves `version` to the latest prerelease; semVerLevel=2.0.0 adds SemVer 2', async () => {
    const pre = (await search('?q=packageid:contoso.widgets&prerelease=TRUE')).data[0];
    expect(pre.version).toBe('2.0.0-beta');
    expect(pre.iconUrl).toBe(`${FEED}/v3/flat/contoso.widgets/2.0.0-beta/icon`);
    expect(pre.versions.map((x: any) => x.version)).toEqual(['1.0.0', '1.5.0', '2.0.0-beta']);

    const all = await search('?q=packageid:contoso.widgets&prerelease=true&semVerLevel=2.0.0');
    const p = all.data[0];
    expect(p.version).toBe('2.1.0-beta.2+sha.5114f85');
    expect(p.registration).toBe(`${FEED}/v3/registration-gz-semver2/contoso.widgets/index.json`);
    expect(all['@context']['@base']).toBe(`${FEED}/v3/registration-gz-semver2/`);
    expect(p.versions.at(-1)).toEqual({
      version: '2.1.0-beta.2+sha.5114f85',
      downloads: 10,
      '@id': `${FEED}/v3/registration-gz-semver2/contoso.widgets/2.1.0-beta.2.json`,
    });
    expect((await search('?q=packageid:contoso.widgets&prerelease=false&semVerLevel=2.0.0')).data[0].version).toBe(
      '1.5.0',
    );
    expect((await search('?q=packageid:contoso.widgets&prerelease=yes')).data[0].version).toBe('1.5.0');
  });

  it('shows SemVer 2 packages only at semVerLevel >= 2.0.0 and prerelease-only packages only with prerelease', async () => {
    expect(await ids('?q=only')).toEqual([]);
    expect(await ids('?q=only&semVerLevel=1.0.0')).toEqual([]);
    expect(await ids('?q=only&semVerLevel=garbage')).toEqual([]);
    expect(await ids('?q=only&semVerLevel=2.0.0')).toEqual(['Only.SemVer2']);
    expect(await ids('?q=only&semVerLevel=3.1')).toEqual(['Only.SemVer2']);
    expect((await ids('?q=only&semVerLevel=2.0.0&prerelease=true')).sort()).toEqual([
      'Only.Prerelease',
      'Only.SemVer2',
    ]);
    expect((await search('?q=only.semver2&semVerLevel=2.0.0')).data[0].version).toBe('1.0.0+build.7');
  });

  it('orders versions the NuGet way, not by string', async () => {
    const p = (await search('?q=packageid:order.test&prerelease=true')).data[0];
    expect(p.version).toBe('1.0.10');
    expect(p.description).toBe('NuGet order, latest.');
    // §9.3: non-numeric labels compare as text (alpha10 < alpha2); 1.0.10 > 1.0.9 numerically.
    expect(p.versions.map((x: any) => x.version)).toEqual(['1.0.9', '1.0.10-alpha10', '1.0.10-alpha2', '1.0.10']);
    const semver2 = (await search('?q=packageid:order.test&prerelease=true&semVerLevel=2.0.0')).data[0];
    expect(semver2.versions.map((x: any) => x.version)).toEqual([
      '1.0.9',
      '1.0.10-alpha10',
      '1.0.10-alpha2',
      '1.0.10-rc.2',
      '1.0.10-rc.10',
      '1.0.10',
    ]);
  });

  it('falls back to licenseUrl, icon url and title as stored', async () => {
    const p = (await search('?q=packageid:widgets')).data[0];
    expect(p).toMatchObject({ title: 'Widgets', licenseUrl: 'https://example.test/license', iconUrl: '', tags: [] });
    expect((await search('?q=packageid:contoso.widgets.blazor')).data[0].title).toBe('Blazor Widgets');
  });
});

describe('visibility (§3.4)', () => {
  it('never shows unlisted versions and drops packages with none listed', async () => {
    const p = (await search('?q=packageid:partly.unlisted')).data[0];
    expect(p.version).toBe('1.0.0');
    expect(p.versions.map((x: any) => x.version)).toEqual(['1.0.0']);
    expect(p.totalDownloads).toBe(7);
    expect(await ids('?q=gone')).toEqual([]);
    expect(await ids('?q=packageid:gone.entirely&prerelease=true&semVerLevel=2.0.0')).toEqual([]);
    expect(await ids('?q=later')).toEqual([]); // only the unlisted 2.0.0 says "Unlisted later."
    const all = await search('?take=1000&prerelease=true&semVerLevel=2.0.0');
    expect(all.data.map((x: any) => x.id)).not.toContain('Gone.Entirely');
  });

  it('shows a version again once relisted', async () => {
    await env.DB.batch(setListedStatements(env.DB, 'gone.entirely', '1.0.0', true, '2026-03-01T00:00:00.000Z'));
    expect(await ids('?q=gone')).toEqual(['Gone.Entirely']);
    await env.DB.batch(setListedStatements(env.DB, 'gone.entirely', '1.0.0', false, '2026-03-02T00:00:00.000Z'));
    expect(await ids('?q=gone')).toEqual([]);
  });
});

describe('ranking and paging', () => {
  it('puts an exact id match first, then FTS rank', async () => {
    const found = await ids('?q=widgets');
    expect(found[0]).toBe('Widgets');
    expect(found).toEqual(expect.arrayContaining(['Contoso.Widgets', 'Contoso.Widgets.Blazor']));
    expect((await ids('?q=Contoso.Widgets'))[0]).toBe('Contoso.Widgets');
    expect((await ids('?q=CONTOSO.WIDGETS.BLAZOR'))[0]).toBe('Contoso.Widgets.Blazor');
    expect((await ids('?q=id:contoso.widgets'))[0]).toBe('Contoso.Widgets');
  });

  it('with empty q returns every package, most downloaded first, with the true total', async () => {
    const body = await search('');
    const stable = searchSeed.filter((r) => !r.isPrerelease && !r.isSemVer2 && r.lowerId !== 'gone.entirely');
    expect(body.totalHits).toBe(new Set(stable.map((r) => r.lowerId)).size);
    expect(body.data).toHaveLength(20);
    expect(body.data[0].id).toBe('Contoso.Widgets.Blazor');
    expect(body.data[1].id).toBe('Contoso.Widgets');
    expect((await search('?q=')).totalHits).toBe(body.totalHits);
  });

  it('pages with skip/take and keeps totalHits independent of them', async () => {
    const page = await search('?q=paging&skip=20&take=10');
    expect(page.totalHits).toBe(25);
    expect(page.data.map((p: any) => p.id)).toEqual([
      'Paging.Pkg04',
      'Paging.Pkg03',
      'Paging.Pkg02',
      'Paging.Pkg01',
      'Paging.Pkg00',
    ]);
    const first = await search('?q=paging&take=3');
    expect(first.data.map((p: any) => p.id)).toEqual(['Paging.Pkg24', 'Paging.Pkg23', 'Paging.Pkg22']);
    expect((await search('?q=paging&skip=5000')).data).toEqual([]);
    expect((await search('?q=paging&skip=5000')).totalHits).toBe(25);
  });

  it('keeps the true total on a page past the end, with and without terms', async () => {
    const all = await search('?take=1');
    expect(await search('?skip=5000')).toMatchObject({ totalHits: all.totalHits, data: [] });
    expect(await search('?q=widgets&skip=5000')).toMatchObject({
      totalHits: (await search('?q=widgets')).totalHits,
      data: [],
    });
  });

  it('turns bad skip/take into defaults instead of failing', async () => {
    const defaults = await search('?q=paging');
    expect(defaults.data).toHaveLength(20);
    for (const bad of [
      'take=0',
      'take=-3',
      'take=1001',
      'take=abc',
      'take=',
      'take=2.5',
      'take=99999999999999999999',
    ]) {
      expect((await search(`?q=paging&${bad}`)).data, bad).toHaveLength(20);
    }
    expect((await search('?q=paging&take=1000')).data).toHaveLength(25);
    for (const bad of ['skip=-1', 'skip=abc', 'skip=', 'skip=-99999999999999999999']) {
      expect((await search(`?q=paging&${bad}`)).data[0].id, bad).toBe('Paging.Pkg24');
    }
  });
});

describe('packageType (§5.1)', () => {
  it('filters on the latest eligible version, case-insensitively, defaulting to Dependency', async () => {
    expect(await ids('?q=fabrikam&packageType=dotnettool')).toEqual(['Fabrikam.Tool']);
    // With prerelease the latest Fabrikam.Tool declares no type: it is a Dependency now.
    expect(await ids('?q=fabrikam&packageType=DotnetTool&prerelease=true')).toEqual([]);
    expect((await ids('?q=fabrikam&packageType=dependency&prerelease=true')).sort()).toEqual([
      'Fabrikam.Json',
      'Fabrikam.Tool',
    ]);
    expect(await ids('?q=fabrikam&packageType=TEMPLATE')).toEqual(['Fabrikam.Template']);
    expect((await search('?q=fabrikam&packageType=dotnettool')).data[0].packageTypes).toEqual([{ name: 'DotnetTool' }]);
  });

  it('returns nothing for an unknown type and ignores an empty one', async () => {
    expect(await search('?q=fabrikam&packageType=NoSuchType')).toMatchObject({ totalHits: 0, data: [] });
    expect((await ids('?q=fabrikam&packageType=')).sort()).toEqual([
      'Fabrikam.Json',
      'Fabrikam.Template',
      'Fabrikam.Tool',
    ]);
  });

  it('pages after filtering, with the filtered total', async () => {
    const page = await search('?packageType=Dependency&q=paging&skip=24&take=5');
    expect(page.totalHits).toBe(25);
    expect(page.data.map((p: any) => p.id)).toEqual(['Paging.Pkg00']);
    expect(page.data[0].versions).toHaveLength(1);
    expect(page.data[0].totalDownloads).toBe(0);
    const many = await search('?packageType=dependency&take=1000&prerelease=true&semVerLevel=2.0.0');
    expect(many.data).toHaveLength(many.totalHits);
  });
});
