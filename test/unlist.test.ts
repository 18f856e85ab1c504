import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { findVersion } from '../src/store/packages';
import { documentKeys } from '../src/store/documents';
import { buildNupkg, FEED, pushRequest, TEST_API_KEY } from './support/nupkg';

function listing(method: 'DELETE' | 'POST', path: string, apiKey: string | null = TEST_API_KEY): Promise<Response> {
  const headers: Record<string, string> = apiKey === null ? {} : { 'X-NuGet-ApiKey': apiKey };
  return exports.default.fetch(new Request(`${FEED}/api/v2/package/${path}`, { method, headers }));
}

async function catalogTypes(lowerId: string): Promise<unknown[]> {
  const { results } = await env.DB.prepare(
    'SELECT item_type, details FROM catalog_items WHERE lower_id = ? ORDER BY seq',
  )
    .bind(lowerId)
    .all<{ item_type: string; details: string }>();
  return results.map((r) => [r.item_type, JSON.parse(r.details).listed]);
}

beforeAll(async () => {
  for (const [id, version] of [
    ['Listing.Package', '1.0.0'],
    ['Listing.Package', '2.0.0-Beta'],
    ['Other', '1.0.0'],
  ] as const) {
    const response = await exports.default.fetch(pushRequest(buildNupkg({ id, version })));
    expect(response.status).toBe(201);
  }
});

describe('unlist and relist', () => {
  it('unlists with any casing and a non-normalized version, and again when already unlisted', async () => {
    const before = await findVersion(env.DB, 'listing.package', '1.0.0');
    const response = await listing('DELETE', 'LISTING.package/1.0');
    expect(response.status).toBe(204);
    const after = await findVersion(env.DB, 'listing.package', '1.0.0');
    // Issue 11 item 5: an unlist is an edit (lastEdited), and it supersedes the version's push item.
    expect(after).toEqual({ ...before, listed: false, lastEdited: expect.any(String) });
    expect(await catalogTypes('listing.package')).toEqual([
      ['PackageDetails', true],
      ['PackageDetails', false],
    ]);
    const flat = JSON.parse((await env.PAGES.get(documentKeys.versionsIndex('listing.package')))!);
    expect(flat.versions).toContain('1.0.0');

    expect((await listing('DELETE', 'Listing.Package/1.0.0.0')).status).toBe(204);
    expect((await findVersion(env.DB, 'listing.package', '1.0.0'))?.listed).toBe(false);
  });

  it('relists, moving published to the relist time; relisting a listed version succeeds too', async () => {
    const before = (await findVersion(env.DB, 'listing.package', '1.0.0'))!;
    const response = await listing('POST', 'listing.package/1.0.0+some.metadata');
    expect(response.status).toBe(200);
    const after = (await findVersion(env.DB, 'listing.package', '1.0.0'))!;
    expect(after.listed).toBe(true);
    expect(after.created).toBe(before.created);
    expect(Date.parse(after.published)).toBeGreaterThan(Date.parse(before.published));

    expect((await listing('POST', 'listing.package/1.0.0')).status).toBe(200);
    expect((await findVersion(env.DB, 'listing.package', '1.0.0'))?.published).toBe(after.published);
  });

  it('normalizes prerelease labels and escaped segments', async () => {
    expect((await listing('DELETE', 'Listing%2EPackage/2.0.0-bEtA')).status).toBe(204);
    expect((await findVersion(env.DB, 'listing.package', '2.0.0-beta'))?.listed).toBe(false);
    expect((await findVersion(env.DB, 'listing.package', '1.0.0'))?.listed).toBe(true);
  });

  it('answers 404 for an unknown id or version', async () => {
    for (const path of ['Listing.Package/9.9.9', 'Nope/1.0.0']) {
      for (const method of ['DELETE', 'POST'] as const) {
        const response = await listing(method, path);
        expect(response.status).toBe(404);
        const [id, version] = path.split('/');
        expect(response.statusText).toBe(`Package ${id} ${version} was not found.`);
      }
    }
  });

  it('answers 400 for a version that does not parse', async () => {
    const response = await listing('DELETE', 'Listing.Package/not-a-version');
    expect(response.status).toBe(400);
    expect(response.headers.get('X-NuGet-Warning')).toBe("'not-a-version' is not a valid NuGet version.");
    expect((await listing('DELETE', 'Listing.Package/%E0%A4%A')).status).toBe(400);
  });

  it('answers 401 without a valid key and changes nothing', async () => {
    const before = await findVersion(env.DB, 'other', '1.0.0');
    const items = await catalogTypes('other');
    for (const apiKey of [null, 'wrong']) {
      for (const method of ['DELETE', 'POST'] as const) {
        const response = await listing(method, 'Other/1.0.0', apiKey);
        expect(response.status).toBe(401);
        expect(response.statusText).toBe('A valid API key is required: pass it with -k / X-NuGet-ApiKey.');
      }
    }
    expect(await findVersion(env.DB, 'other', '1.0.0')).toEqual(before);
    expect(await catalogTypes('other')).toEqual(items);
  });
});
