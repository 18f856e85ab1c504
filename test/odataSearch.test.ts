/**
 * The V2 feed's queries: Search() as PowerShellGet (tag: terms, wildcards) and NuGet.Protocol
 * send it, Packages() with Chocolatey's and NuGet.Protocol's $filter shapes, $orderby, /$count,
 * GetUpdates(), and the 400 for anything outside the subset. Seeded with the search tests' feed.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertVersionStatements } from '../src/store/packages';
import { v2Feed, v2Get } from './support/odataFeed';
import { versionRecord } from './support/records';
import { seedSearchFeed } from './support/searchSeed';

beforeAll(async () => {
  await seedSearchFeed();
  const modules = [
    versionRecord('Contoso.PSModule', '1.0.0', { tags: 'PSModule PSCommand_Get-Widget PSIncludes_Cmdlet' }),
    versionRecord('Contoso.PSModule', '1.1.0-preview', { tags: 'PSModule PSCommand_Get-Widget' }),
    versionRecord('Other.PSScript', '2.0.0', { tags: 'PSScript PSCommand_Get-Widget-Extra' }),
  ];
  for (const record of modules) await env.DB.batch(insertVersionStatements(env.DB, record));
});

/** The entries of a feed as `Id Version`. */
async function found(path: string): Promise<string[]> {
  return (await v2Feed(path)).entries.map((e) => `${e.properties.Id} ${e.properties.Version}`);
}

const psSearch = (term: string, prerelease = false) =>
  `Search()?$filter=IsLatestVersion&searchTerm='${term}'&targetFramework=''&includePrerelease=${prerelease}&$skip=0&$top=40`;

describe('Search()', () => {
  it("answers PowerShellGet's Find-Module -Tag: tag: terms are exact tags", async () => {
    expect(await found(psSearch(' tag:PSModule'))).toEqual(['Contoso.PSModule 1.0.0']);
    expect(await found(psSearch('Contoso tag:PSCommand_Get-Widget'))).toEqual(['Contoso.PSModule 1.0.0']);
    expect(await found(psSearch(' tag:PSCommand_Get-Widget-Extra'))).toEqual(['Other.PSScript 2.0.0']);
    expect(await found(psSearch(' tag:psmodule tag:PSScript'))).toEqual([]);
    expect(await found(psSearch('Contoso%20tag%3APSModule'))).toEqual(['Contoso.PSModule 1.0.0']);
  });

  it('takes * wildcards: a prefix, or everything', async () => {
    expect((await found(psSearch('Contoso.Widg*'))).sort()).toEqual([
      'Contoso.Widgets 1.5.0',
      'Contoso.Widgets.Blazor 1.0.0',
    ]);
    const everything = await v2Feed(`Search()?$filter=IsLatestVersion&searchTerm='*'&includePrerelease=false&$top=100`);
    expect(everything.entries.length).toBeGreaterThan(30);
  });

  it('shows the latest per id with IsLatestVersion / IsAbsoluteLatestVersion, within the SemVer level', async () => {
    const term = "searchTerm='Contoso.Widgets'&targetFramework=''";
    expect(await found(`Search()?$filter=IsLatestVersion&${term}&includePrerelease=false`)).toEqual([
      'Contoso.Widgets 1.5.0',
      'Contoso.Widgets.Blazor 1.0.0',
    ]);
    expect(await found(`Search()?$filter=IsAbsoluteLatestVersion&${term}&includePrerelease=true`)).toEqual([
      'Contoso.Widgets 2.0.0-beta',
      'Contoso.Widgets.Blazor 1.0.0',
    ]);
    expect(
      await found(`Search()?$filter=IsAbsoluteLatestVersion&${term}&includePrerelease=true&semVerLevel=2.0.0`),
    ).toEqual(['Contoso.Widgets 2.1.0-beta.2+sha.5114f85', 'Contoso.Widgets.Blazor 1.0.0']);
  });

  it('never returns unlisted versions', async () => {
    expect(await found("Search()?searchTerm='Partly.Unlisted'&includePrerelease=true")).toEqual([
      'Partly.Unlisted 1.0.0',
    ]);
    expect(await found("Search()?searchTerm='Gone.Entirely'&includePrerelease=true")).toEqual([]);
  });

  it('lists every version with $orderby=DownloadCount desc,Id (Find-Module -AllVersions)', async () => {
    const all = await found(
      "Search()?$orderby=DownloadCount%20desc,Id&searchTerm='widgets'&targetFramework=''&includePrerelease=false",
    );
    expect(all).toEqual([
      'Contoso.Widgets.Blazor 1.0.0',
      'Contoso.Widgets 1.0.0',
      'Contoso.Widgets 1.5.0',
      'Widgets 1.0.0',
    ]);
  });
});

describe('Packages() with $filter and $orderby', () => {
  it("answers Chocolatey's id filters", async () => {
    expect(await found("Packages()?$filter=(tolower(Id) eq 'contoso.widgets') and IsLatestVersion")).toEqual([
      'Contoso.Widgets 1.5.0',
    ]);
    expect(
      await found('Packages()?$filter=tolower(Id)%20eq%20%27contoso.widgets%27&$orderby=Id,Version%20desc'),
    ).toEqual(['Contoso.Widgets 2.0.0-beta', 'Contoso.Widgets 1.5.0', 'Contoso.Widgets 1.0.0']);
    expect(await found("Packages()?$filter=tolower(Id) eq 'widgets' and Version eq '1.0'")).toEqual(['Widgets 1.0.0']);
    expect(await found("Packages?$filter=Id eq 'Widgets' and IsLatestVersion eq true")).toEqual(['Widgets 1.0.0']);
    expect(await found("Packages()?$filter=Id eq 'widgets'")).toEqual([]);
  });

  it("answers NuGet.Protocol's substringof search across Id, Description and Tags", async () => {
    const term = (t: string) =>
      `((((Id ne null) and substringof('${t}',tolower(Id))) or ((Description ne null) and substringof('${t}',tolower(Description)))) or ((Tags ne null) and substringof(' ${t} ',tolower(Tags))))`;
    const json = await found(
      `Packages()?$filter=${encodeURIComponent(`${term('serialization')} and IsLatestVersion`)}&$orderby=Id`,
    );
    expect(json).toEqual(['Fabrikam.Json 3.0.0']);
    const fabrikam = await found(`Packages()?$filter=(${term('fabrikam')}) and IsLatestVersion&$orderby=Id`);
    expect(fabrikam).toEqual(['Fabrikam.Json 3.0.0', 'Fabrikam.Template 1.0.0', 'Fabrikam.Tool 1.0.0']);
    // A tag matches whole, first or last: ' ui ' is a tag of Contoso.Widgets; ' widg ' is none.
    expect(await found(`Packages()?$filter=substringof(' ui ',tolower(Tags)) and IsLatestVersion`)).toEqual([
      'Contoso.Widgets 1.5.0',
    ]);
    expect(await found(`Packages()?$filter=substringof(' widg ',tolower(Tags))`)).toEqual([]);
  });

  it('takes startswith, endswith, not, ne and or', async () => {
    const ids = await found("Packages()?$filter=startswith(tolower(Id),'paging.pkg0')&$orderby=Id");
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `Paging.Pkg0${i} 1.0.0`));
    expect(await found("Packages()?$filter=endswith(Id,'.Blazor')")).toEqual(['Contoso.Widgets.Blazor 1.0.0']);
    expect(
      await found("Packages()?$filter=tolower(Id) eq 'order.test' and not IsPrerelease and Version ne '1.0.9'"),
    ).toEqual(['Order.Test 1.0.10']);
    expect(await found("Packages()?$filter=Id eq 'Widgets' or Id eq 'Fabrikam.Json'&$orderby=Id desc")).toEqual([
      'Widgets 1.0.0',
      'Fabrikam.Json 3.0.0',
    ]);
  });

  it('answers anything outside the subset with a 400 that names it', async () => {
    for (const [path, named] of [
      ['Packages()?$filter=DownloadCount gt 5', 'DownloadCount'],
      ["Packages()?$filter=substringof(Id,'x')", 'substringof'],
      ["Packages()?$filter=tolower(Id) eq 'x' and", 'expected'],
      ['Packages()?$filter=length(Id) eq 5', 'length'],
      ['Packages()?$orderby=Owners', '$orderby'],
      ['Packages()?$inlinecount=allpages', '$inlinecount'],
    ]) {
      const response = await v2Get(path as string);
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toContain(named);
    }
  });
});

describe('/$count and GetUpdates()', () => {
  it('counts as plain text, after $filter, $skip and $top', async () => {
    const count = async (path: string) => {
      const response = await v2Get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/);
      return response.text();
    };
    expect(
      await count(
        "Search()/$count?$filter=IsLatestVersion&searchTerm='Paging'&targetFramework=''&includePrerelease=false",
      ),
    ).toBe('25');
    expect(await count("Search()/$count?searchTerm='Paging'&$skip=20")).toBe('5');
    expect(await count("FindPackagesById()/$count?id='Order.Test'&semVerLevel=2.0.0")).toBe('6');
    expect(await count("Packages()/$count?$filter=tolower(Id) eq 'order.test'")).toBe('4');
    expect(await count("Packages/$count?$filter=tolower(Id) eq 'order.test'&$top=2")).toBe('2');
  });

  it('finds the updates of installed packages, newest only or all, within constraints', async () => {
    const updates = (query: string) =>
      found(
        `GetUpdates()?packageIds='Contoso.Widgets|Order.Test|Not.There'&versions='1.0.0|1.0.9|1.0.0'&targetFrameworks=''&${query}`,
      );
    expect(await updates('includePrerelease=false&includeAllVersions=false')).toEqual([
      'Contoso.Widgets 1.5.0',
      'Order.Test 1.0.10',
    ]);
    expect(await updates('includePrerelease=true&includeAllVersions=true')).toEqual([
      'Contoso.Widgets 1.5.0',
      'Contoso.Widgets 2.0.0-beta',
      // NuGet order: non-numeric labels compare as text, so alpha10 sorts before alpha2.
      'Order.Test 1.0.10-alpha10',
      'Order.Test 1.0.10-alpha2',
      'Order.Test 1.0.10',
    ]);
    expect(await updates("includePrerelease=true&versionConstraints='[1.0.0, 1.9.0)||'")).toEqual([
      'Contoso.Widgets 1.5.0',
      'Order.Test 1.0.10',
    ]);
    expect((await v2Get("GetUpdates()?packageIds='A|B'&versions='1.0.0'")).status).toBe(400);
  });
});
