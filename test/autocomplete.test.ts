import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackageVersionRecord } from '../src/nuget/types';
import { insertVersionStatements, setListedStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const autocomplete = async (query: string) => {
  const response = await exports.default.fetch(new Request(`${FEED}/v3/autocomplete${query}`));
  expect(response.status, query).toBe(200);
  return (await response.json()) as { totalHits: number; data: string[] };
};
const data = async (query: string) => (await autocomplete(query)).data;

const v = versionRecord;
const seed: PackageVersionRecord[] = [
  v('Contoso.Widgets', '1.0.0', { downloads: 10 }),
  v('Contoso.Widgets', '1.10.0', { downloads: 10 }),
  v('Contoso.Widgets', '1.9.0', { downloads: 10 }),
  v('Contoso.Widgets', '2.0.0-beta', { downloads: 10 }),
  v('Contoso.Widgets', '2.1.0-beta.2+sha.5114f85', { downloads: 10 }),
  v('Contoso.Widgets', '3.0.0', { downloads: 10 }),
  v('Contoso.Widgets.Blazor', '1.0.0', { downloads: 500 }),
  v('ContosoWidgetsLegacy', '1.0.0', { downloads: 5 }),
  v('WidgetsCore', '1.0.0', { downloads: 1 }),
  v('Fabrikam.Widgets', '1.0.0', { downloads: 1000 }),
  v('Fabrikam.Tool', '1.0.0', { packageTypes: [{ name: 'DotnetTool' }] }),
  v('Fabrikam.Tool', '2.0.0-preview'),
  v('Pre.Only', '1.0.0-alpha'),
  v('SemVer2.Only', '1.0.0+meta'),
  v('Hidden.Package', '1.0.0'),
  v('Xyzzy', '1.0.0'),
];

beforeAll(async () => {
  for (const record of seed) await env.DB.batch(insertVersionStatements(env.DB, record));
  const now = '2026-02-01T00:00:00.000Z';
  await env.DB.batch(setListedStatements(env.DB, 'hidden.package', '1.0.0', false, now));
  await env.DB.batch(setListedStatements(env.DB, 'contoso.widgets', '3.0.0', false, now));
});

describe('id mode (§6.1)', () => {
  it('puts true prefix matches first, then token-prefix matches, each by downloads', async () => {
    const body = await autocomplete('?q=contoso');
    expect(body.data).toEqual(['Contoso.Widgets.Blazor', 'Contoso.Widgets', 'ContosoWidgetsLegacy']);
    expect(body.totalHits).toBe(3);
    expect(await data('?q=widgets')).toEqual([
      'WidgetsCore',
      'Fabrikam.Widgets',
      'Contoso.Widgets.Blazor',
      'Contoso.Widgets',
      'ContosoWidgetsLegacy',
    ]);
    expect(await data('?q=WIDGETS.blazor')).toEqual(['Contoso.Widgets.Blazor']);
    expect(await data('?q=Legacy')).toEqual(['ContosoWidgetsLegacy']);
    expect(await data('?q=idgets')).toEqual([]); // a substring that starts no token
    expect(await data(`?q=${encodeURIComponent('%_"*()')}`)).toEqual([]);
  });

  it('lists every id with an eligible listed version when q is empty or absent', async () => {
    const all = [
      'Fabrikam.Widgets',
      'Contoso.Widgets.Blazor',
      'Contoso.Widgets',
      'ContosoWidgetsLegacy',
      'WidgetsCore',
    ];
    const body = await autocomplete('');
    expect(body.data.slice(0, 5)).toEqual(all);
    expect(body.data.sort()).toEqual([
      'Contoso.Widgets',
      'Contoso.Widgets.Blazor',
      'ContosoWidgetsLegacy',
      'Fabrikam.Tool',
      'Fabrikam.Widgets',
      'WidgetsCore',
      'Xyzzy',
    ]);
    expect((await autocomplete('?q=')).totalHits).toBe(7);
    expect((await autocomplete('?q=&prerelease=true&semVerLevel=2.0.0')).totalHits).toBe(9);
  });

  it('hides ids without an eligible listed version', async () => {
    expect(await data('?q=hidden&prerelease=true&semVerLevel=2.0.0')).toEqual([]);
    expect(await data('?q=pre')).toEqual([]);
    expect(await data('?q=pre&prerelease=True')).toEqual(['Pre.Only']);
    expect(await data('?q=semver2&prerelease=true')).toEqual([]);
    expect(await data('?q=semver2&semVerLevel=2.0.0')).toEqual(['SemVer2.Only']);
  });

  it('pages with skip/take and reports the total', async () => {
    const body = await autocomplete('?q=widgets&skip=1&take=2');
    expect(body).toMatchObject({ totalHits: 5, data: ['Fabrikam.Widgets', 'Contoso.Widgets.Blazor'] });
    expect((await autocomplete('?q=widgets&skip=-4&take=1')).data).toEqual(['WidgetsCore']);
    expect((await autocomplete('?q=widgets&skip=50')).data).toEqual([]);
    expect((await autocomplete('?q=widgets&take=0')).data).toHaveLength(5);
    expect((await autocomplete('?q=widgets&take=junk&skip=junk')).data).toHaveLength(5);
  });

  it("filters by the latest eligible version's package type", async () => {
    expect(await data('?q=fabrikam&packageType=DOTNETTOOL')).toEqual(['Fabrikam.Tool']);
    expect(await data('?q=fabrikam&packageType=dotnettool&prerelease=true')).toEqual([]);
    expect(await data('?q=fabrikam&packageType=dependency')).toEqual(['Fabrikam.Widgets']);
    expect(await data('?q=fabrikam&packageType=nosuchtype')).toEqual([]);
    expect(await data('?q=fabrikam&packageType=')).toEqual(['Fabrikam.Widgets', 'Fabrikam.Tool']);
  });

  it('uses id mode when both q and id are given', async () => {
    expect(await data('?q=xyz&id=Contoso.Widgets')).toEqual(['Xyzzy']);
  });
});

describe('version mode (§6.2)', () => {
  it('lists listed eligible versions ascending in NuGet order', async () => {
    const body = await autocomplete('?id=contoso.WIDGETS');
    expect(body).toMatchObject({ totalHits: 3, data: ['1.0.0', '1.9.0', '1.10.0'] });
    expect(await data('?id=Contoso.Widgets&prerelease=true')).toEqual(['1.0.0', '1.9.0', '1.10.0', '2.0.0-beta']);
    expect(await data('?id=Contoso.Widgets&prerelease=true&semVerLevel=2.0.0')).toEqual([
      '1.0.0',
      '1.9.0',
      '1.10.0',
      '2.0.0-beta',
      '2.1.0-beta.2+sha.5114f85',
    ]);
    expect(await data('?id=semver2.only&semVerLevel=2.0.0')).toEqual(['1.0.0+meta']);
    expect(await data('?id=semver2.only')).toEqual([]);
  });

  it('answers 200 with no data for an unknown or fully unlisted id', async () => {
    expect(await autocomplete('?id=No.Such.Package')).toMatchObject({ totalHits: 0, data: [] });
    expect(await autocomplete('?id=hidden.package&prerelease=true')).toMatchObject({ totalHits: 0, data: [] });
    expect(await autocomplete('?id=')).toMatchObject({ totalHits: 0, data: [] });
  });
});
