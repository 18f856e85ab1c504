import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackageVersionRecord } from '../src/nuget/types';
import { repairFeed } from '../src/documents/repair';
import { insertVersionStatements, setListedStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
const get = (query: string) => exports.default.fetch(new Request(`${FEED}/v3/query${query}`));
const search = async (query: string) => {
  const response = await get(query);
  expect(response.status, query).toBe(200);
  return (await response.json()) as any;
};
const ids = async (query: string) => (await search(query)).data.map((p: any) => p.id);

const v = versionRecord;
const seed: PackageVersionRecord[] = [
  v('Contoso.Widgets', '1.0.0', { downloads: 100, tags: 'ui widgets', description: 'Widgets for Contoso apps.' }),
  v('Contoso.Widgets', '1.5.0', {
    downloads: 200,
    tags: 'ui widgets',
    description: 'Widgets for Contoso apps.',
    licenseExpression: 'MIT OR Apache-2.0',
    projectUrl: 'https://github.com/contoso/widgets',
    iconUrl: 'https://contoso.example/icon.png',
    authors: 'Contoso, Jane Doe',
  }),
  v('Contoso.Widgets', '2.0.0-beta', { downloads: 50, tags: 'ui widgets', iconContentType: 'image/png' }),
  v('Contoso.Widgets', '2.1.0-beta.2+sha.5114f85', { downloads: 10, tags: 'ui widgets' }),
  v('Contoso.Widgets.Blazor', '1.0.0', { downloads: 5000, tags: 'blazor widgets', title: 'Blazor Widgets' }),
  v('Widgets', '1.0.0', { downloads: 1, description: 'Plain widgets.', licenseUrl: 'https://example.test/license' }),
  v('Fabrikam.Json', '3.0.0', {
    title: 'Fabrikam JSON',
    summary: 'Fast serializer',
    description: 'Reads and writes documents.',
    authors: 'Fabrikam Team',
    tags: 'json serialization',
  }),
  v('Fabrikam.Tool', '1.0.0', { packageTypes: [{ name: 'DotnetTool' }], description: 'A tool.' }),
  v('Fabrikam.Tool', '2.0.0-preview', { description: 'A tool, preview without types.' }),
  v('Fabrikam.Template', '1.0.0', { packageTypes: [{ name: 'Template' }], description: 'Templates.' }),
  v('Only.SemVer2', '1.0.0+build.7', { description: 'Metadata makes it SemVer 2.' }),
  v('Only.Prerelease', '1.0.0-alpha', { description: 'Nothing stable yet.' }),
  v('Order.Test', '1.0.9', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10', { description: 'NuGet order, latest.' }),
  v('Order.Test', '1.0.10-alpha2', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-alpha10', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-rc.10', { description: 'NuGet order.' }),
  v('Order.Test', '1.0.10-rc.2', { description: 'NuGet order.' }),
  v('Partly.Unlisted', '1.0.0', { description: 'Keeps one listed version.' }),
  v('Partly.Unlisted', '2.0.0', { description: 'Unlisted later.', downloads: 7 }),
  v('Gone.Entirely', '1.0.0', { description: 'Every version unlisted.' }),
  ...Array.from({ length: 25 }, (_, i) =>
    v(`Paging.Pkg${String(i).padStart(2, '0')}`, '1.0.0', { description: 'Paging fixture.', downloads: i }),
  ),
];

beforeAll(async () => {
  for (const record of seed) await env.DB.batch(insertVersionStatements(env.DB, record));
  const now = '2026-02-01T00:00:00.000Z';
  await env.DB.batch(setListedStatements(env.DB, 'partly.unlisted', '2.0.0', false, now));
  await env.DB.batch(setListedStatements(env.DB, 'gone.entirely', '1.0.0', false, now));
});

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
    const stable = seed.filter((r) => !r.isPrerelease && !r.isSemVer2 && r.lowerId !== 'gone.entirely');
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

describe('query syntax (§5.2)', () => {
  it('matches fields by name, case-insensitively', async () => {
    expect(await ids('?q=title:json')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=TITLE:"Fabrikam JSON"')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=tags:serialization')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=tag:blazor')).toEqual(['Contoso.Widgets.Blazor']);
    expect(await ids('?q=author:fabrikam')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=Authors:"Fabrikam Team"')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=description:documents')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=summary:serializer')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=id:fabrikam.js')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=PackageId:FABRIKAM.JSON')).toEqual(['Fabrikam.Json']);
    expect(await ids('?q=packageid:fabrikam')).toEqual([]);
  });

  it('searches free text across id, title, description, summary, tags and authors, by prefix', async () => {
    for (const q of ['fabrikam.js', 'serial', 'documents', 'fast', 'team']) {
      expect(await ids(`?q=${encodeURIComponent(q)}`), q).toEqual(['Fabrikam.Json']);
    }
  });

  it('ANDs terms, drops unknown fields, and matches nothing for owners', async () => {
    expect(await ids('?q=tags:widgets id:blazor')).toEqual(['Contoso.Widgets.Blazor']);
    expect(await ids('?q=tags:widgets tags:json')).toEqual([]);
    expect(await ids('?q=invalid:foo json')).toEqual(['Fabrikam.Json']);
    // Unknown fields only: nothing, not everything (issue 11 item 11; nuget.org would widen to all).
    expect(await search('?q=invalid:foo')).toMatchObject({ totalHits: 0, data: [] });
    expect(await search('?q=owner:contoso')).toMatchObject({ totalHits: 0, data: [] });
    expect(await search('?q=owners:contoso widgets')).toMatchObject({ totalHits: 0, data: [] });
  });

  it('filters by normalized version', async () => {
    expect(await ids('?q=packageid:order.test version:1.0.9')).toEqual(['Order.Test']);
    expect(await ids('?q=packageid:contoso.widgets version:1.5')).toEqual(['Contoso.Widgets']);
    expect(await ids('?q=packageid:contoso.widgets version:2.0.0-BETA')).toEqual([]);
    expect(await ids('?q=packageid:contoso.widgets version:2.0.0-BETA&prerelease=true')).toEqual(['Contoso.Widgets']);
    expect(await ids('?q=version:not-a-version')).toEqual([]);
    expect((await ids('?q=version:1.0.10')).sort()).toEqual(['Order.Test']);
  });

  it('never fails on FTS5 syntax characters in q', async () => {
    const nasty = [
      '"',
      '""',
      '"widgets',
      '*',
      'widg*',
      '-',
      '-widgets',
      'OR',
      'widgets OR json',
      'NOT json',
      'AND',
      '(',
      ')',
      '(widgets',
      'NEAR(a b)',
      '^widgets',
      'id:',
      ':',
      'id:"',
      '{id}:json',
      'title:(x',
      "'",
      "o'brien",
      '%',
      '_',
      '\\',
      'a+b',
      'c#',
      'id:*',
      'tags:"ui" OR "x"',
      '"contoso widgets"',
      '🙂',
      'x'.repeat(2000),
      Array.from({ length: 200 }, (_, i) => `t${i}`).join(' '),
    ];
    for (const q of nasty) expect(typeof (await search(`?q=${encodeURIComponent(q)}`)).totalHits, q).toBe('number');
    expect(await ids(`?q=${encodeURIComponent('(widgets')}`)).toContain('Contoso.Widgets');
    expect(await ids(`?q=${encodeURIComponent('json OR nothingmatches')}`)).toEqual([]);
  });

  it('accepts unencoded terms and "+" as space (§5.1 [CLIENT])', async () => {
    expect(await ids('?q=tags:widgets+id:blazor')).toEqual(['Contoso.Widgets.Blazor']);
    expect(await ids('?q=Fabrikam JSON')).toEqual(['Fabrikam.Json']);
  });

  it('answers HEAD without a body', async () => {
    const response = await exports.default.fetch(new Request(`${FEED}/v3/query?q=json`, { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

// Last: these add and change ids that the totals above count.
describe('search_packages (the per-id summary search reads)', () => {
  it('lists every eligible version of an id with thousands of them, in order, with the latest in front', async () => {
    // More than one part of 1,000 (src/store/searchPage.ts), every tenth a prerelease.
    const records = Array.from({ length: 2_100 }, (_, i) =>
      v('Huge.Pkg', i % 10 === 9 ? `1.${i}.0-rc.${i}` : `1.${i}.0`, { downloads: i, description: `Huge ${i}.` }),
    );
    for (let i = 0; i < records.length; i += 100) {
      await env.DB.batch(records.slice(i, i + 100).flatMap((record) => insertVersionStatements(env.DB, record)));
    }
    const stable = records.filter((r) => !r.isPrerelease).map((r) => r.version);
    const p = (await search('?q=packageid:huge.pkg')).data[0];
    expect(p.versions.map((x: any) => x.version)).toEqual(stable);
    expect(p.version).toBe('1.2098.0');
    expect(p.description).toBe('Huge 2098.');
    expect(p.totalDownloads).toBe((2_099 * 2_100) / 2);
    const pre = (await search('?q=huge&prerelease=true&semVerLevel=2.0.0')).data[0];
    expect(pre.versions).toHaveLength(2_100);
    expect(pre.version).toBe('1.2099.0-rc.2099');
    expect((await search('?q=huge&prerelease=true')).data[0].versions).toHaveLength(stable.length);
  }, 60_000);

  it('is converged by the repair pass after drifting from package_versions', async () => {
    const queries = [
      '',
      '?q=widgets',
      '?q=packageid:contoso.widgets&prerelease=true',
      '?take=1000&prerelease=true&semVerLevel=2.0.0',
    ];
    const before = await Promise.all(queries.map(search));
    await env.DB.batch([
      env.DB.prepare(
        "UPDATE search_packages SET total_downloads = 0, latest_prerelease_semver1 = '1.0.0' WHERE lower_id = 'contoso.widgets'",
      ),
      env.DB.prepare("DELETE FROM search_packages WHERE lower_id = 'widgets'"),
      env.DB.prepare(
        "INSERT INTO search_packages (lower_id, id, total_downloads, latest_stable_semver1) VALUES ('no.such.id', 'No.Such.Id', 9, '1.0.0')",
      ),
    ]);
    expect((await search(queries[2]!)).data[0].version).toBe('1.0.0');
    await repairFeed(env, new Date());
    expect(await Promise.all(queries.map(search))).toEqual(before);
    const { results } = await env.DB.prepare('SELECT lower_id FROM search_packages WHERE lower_id = ?')
      .bind('no.such.id')
      .all();
    expect(results).toEqual([]);
  });
});
