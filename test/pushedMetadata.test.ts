/**
 * Issue 11 items 2, 3 and 5 through a real push: the nuspec's copyright reaches registration and
 * search (PSResourceGet's Copyright), the catalogEntry leads to the catalog leaf with the id and
 * version, and that leaf lists the package's entries and declared types.
 */
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNupkg, FEED, pushRequest } from './support/nupkg';

const getJson = async (path: string) => {
  const response = await exports.default.fetch(new Request(path.startsWith('http') ? path : `${FEED}${path}`));
  expect(response.status, path).toBe(200);
  return (await response.json()) as any;
};

beforeAll(async () => {
  const nupkg = buildNupkg({
    id: 'Contoso.Module',
    version: '1.2.0',
    metadata:
      '<copyright>(c) Contoso. All rights reserved.</copyright><packageTypes><packageType name="Template" /></packageTypes>',
    files: { 'content/Module.psm1': 'function Test1 {}' },
  });
  const response = await exports.default.fetch(pushRequest(nupkg));
  expect(response.status).toBe(201);
});

describe("a pushed package's metadata", () => {
  it('carries the copyright in registration and search', async () => {
    const index = await getJson('/v3/registration/contoso.module/index.json');
    const entry = index.items[0].items[0].catalogEntry;
    expect(entry.copyright).toBe('(c) Contoso. All rights reserved.');
    const search = await getJson('/v3/query?q=packageid:contoso.module');
    expect(search.data[0].copyright).toBe('(c) Contoso. All rights reserved.');
  });

  it('leads from the catalogEntry to a complete catalog leaf', async () => {
    const index = await getJson('/v3/registration-gz-semver2/contoso.module/index.json');
    const leaf = await getJson(index.items[0].items[0].catalogEntry['@id']);
    expect([leaf.id, leaf.version, leaf.copyright]).toEqual([
      'Contoso.Module',
      '1.2.0',
      '(c) Contoso. All rights reserved.',
    ]);
    expect(leaf.packageTypes).toEqual([{ name: 'Template' }]);
    expect(leaf.packageEntries.map((e: any) => e.fullName).sort()).toEqual([
      'Contoso.Module.nuspec',
      'content/Module.psm1',
      'lib/netstandard2.0/_._',
    ]);
  });

  it('is found by packagetype: in search', async () => {
    const search = await getJson('/v3/query?q=packagetype:template');
    expect(search.data.map((hit: any) => hit.id)).toEqual(['Contoso.Module']);
  });
});
