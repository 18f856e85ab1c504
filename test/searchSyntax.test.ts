/**
 * Issue 11 item 11: nuget.org's query syntax (§5.2), field by field, and the cases that used to
 * widen a query: a query of unknown fields only, `packagetype:`, and `title:` of an untitled package.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertVersionStatements } from '../src/store/packages';
import { versionRecord } from './support/records';

const FEED = 'https://feed.test';
async function ids(query: string): Promise<string[]> {
  const response = await exports.default.fetch(
    new Request(`${FEED}/v3/query?${query}&prerelease=true&semVerLevel=2.0.0`),
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { totalHits: number; data: { id: string }[] };
  expect(body.totalHits).toBe(body.data.length);
  return body.data.map((hit) => hit.id).sort();
}

beforeAll(async () => {
  const records = [
    versionRecord('Fabrikam.Json', '1.0.0', {
      description: 'A fast serializer.',
      tags: 'json serialization',
      authors: 'Jane Doe',
    }),
    versionRecord('Contoso.Widgets', '2.1.0', {
      title: 'Widgets UI',
      description: 'Widgets for apps.',
      tags: 'ui widgets',
      authors: 'Contoso',
    }),
    versionRecord('Contoso.Templates', '1.0.0', {
      description: 'Project templates.',
      packageTypes: [{ name: 'Template' }],
    }),
    versionRecord('Contoso.Tool', '3.0.0', { packageTypes: [{ name: 'DotnetTool' }, { name: 'Template' }] }),
  ];
  await env.DB.batch(records.flatMap((record) => insertVersionStatements(env.DB, record)));
});

describe('query syntax (§5.2)', () => {
  it('answers a query of unknown fields only with nothing, not everything', async () => {
    expect(await ids('q=foo:bar')).toEqual([]);
    expect(await ids('q=foo:bar%20baz:"a b"')).toEqual([]);
    // Mixed with known terms, an unknown field is dropped, as on nuget.org.
    expect(await ids('q=foo:bar%20json')).toEqual(['Fabrikam.Json']);
  });

  it('reads packagetype: as the packageType filter, ANDed with the parameter', async () => {
    expect(await ids('q=packagetype:template')).toEqual(['Contoso.Templates', 'Contoso.Tool']);
    expect(await ids('q=PackageType:DOTNETTOOL')).toEqual(['Contoso.Tool']);
    expect(await ids('q=packagetype:dependency')).toEqual(['Contoso.Widgets', 'Fabrikam.Json']);
    expect(await ids('q=packagetype:template%20project')).toEqual(['Contoso.Templates']);
    expect(await ids('q=packagetype:template&packageType=DotnetTool')).toEqual(['Contoso.Tool']);
    expect(await ids('q=packagetype:nosuchtype')).toEqual([]);
  });

  it('matches title:, falling back to the id for a package without a title', async () => {
    expect(await ids('q=title:widgets')).toEqual(['Contoso.Widgets']);
    expect(await ids('q=title:fabrikam')).toEqual(['Fabrikam.Json']);
    expect(await ids('q=title:"Fabrikam Json"')).toEqual(['Fabrikam.Json']);
    // A package with a title is not found by its id through title:.
    expect(await ids('q=title:contoso.widgets')).toEqual([]);
  });

  // [field behaviour, query, ids found]
  const cases: [string, string, string[]][] = [
    ['id: matches a token', 'id:contoso', ['Contoso.Templates', 'Contoso.Tool', 'Contoso.Widgets']],
    ['id: matches a prefix', 'id:templ', ['Contoso.Templates']],
    ['packageid: is exact, any case', 'packageid:FABRIKAM.JSON', ['Fabrikam.Json']],
    ['packageid: is not a prefix', 'packageid:fabrikam', []],
    ['tags: matches a tag', 'tags:json', ['Fabrikam.Json']],
    ['tag: is tags:', 'tag:ui', ['Contoso.Widgets']],
    ['tags: reads tags only', 'tags:serializer', []],
    ['author: matches authors', 'author:jane', ['Fabrikam.Json']],
    ['authors: is author:', 'authors:contoso', ['Contoso.Widgets']],
    ['description: matches the description', 'description:serializer', ['Fabrikam.Json']],
    ['description: reads the description only', 'description:json', []],
    ['version: is normalized', 'version:2.1', ['Contoso.Widgets']],
    ['version: four parts', 'version:1.0.0.0', ['Contoso.Templates', 'Fabrikam.Json']],
    ['version: not a version matches nothing', 'version:not-a-version', []],
    ['owner: matches nothing (owners are not public)', 'owner:contoso', []],
  ];
  for (const [behaviour, query, expected] of cases) {
    it(behaviour, async () => {
      expect(await ids(`q=${encodeURIComponent(query)}`)).toEqual(expected);
    });
  }
});
