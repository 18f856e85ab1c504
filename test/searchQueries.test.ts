/**
 * Search query syntax (protocol §5.2) over the shared search feed (test/support/searchSeed.ts);
 * test/searchSyntax.test.ts has the cases that used to widen a query.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED, search, seedSearchFeed } from './support/searchSeed';

const ids = async (query: string) => (await search(query)).data.map((p: any) => p.id);

beforeAll(seedSearchFeed);

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
