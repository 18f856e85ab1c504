/**
 * What protocol §4.7 requires of every hive's registration, checked through the Worker as a client
 * reads it: counts right, pages in order with exact bounds, every stub resolvable, every version
 * the hive shows present once, ascending; and the flat list equal to D1's versions in NuGet order.
 */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { feedLinks, HIVES, hiveLevel } from '../../src/links';
import { MAX_PAGE_VERSIONS } from '../../src/nuget/registrationLayout';
import type { RegistrationIndex, RegistrationPage } from '../../src/nuget/registration';
import { compareVersions, normalizedVersion, parseVersion } from '../../src/nuget/version';

const get = async (url: string) => exports.default.fetch(new Request(url));

function normalized(version: string): string {
  const parsed = parseVersion(version);
  expect(parsed, version).not.toBeNull();
  return normalizedVersion(parsed!);
}

export async function expectRegistrationShape(lowerId: string): Promise<void> {
  const { results } = await env.DB.prepare(
    'SELECT lower_version, version, is_semver2 FROM package_versions WHERE lower_id = ? ORDER BY sort_key',
  )
    .bind(lowerId)
    .all<{ lower_version: string; version: string; is_semver2: number }>();
  // A fresh origin per check: the edge cache keys by URL, so this reads what KV holds now.
  const links = feedLinks(`https://${crypto.randomUUID()}.feed.test`);
  const flat = (await (await get(links.versionsIndex(lowerId))).json()) as { versions: string[] };
  expect(flat.versions).toEqual(results.map((row) => row.lower_version));

  for (const hive of HIVES) {
    const shown = results.filter((row) => hiveLevel(hive) === 'semver2' || row.is_semver2 === 0);
    const response = await get(links.registrationIndex(hive, lowerId));
    expect(response.status, hive).toBe(200);
    const index = (await response.json()) as RegistrationIndex;
    expect(index.count, hive).toBe(index.items.length);
    const versions: string[] = [];
    for (const stub of index.items) {
      let page: RegistrationPage = stub;
      if (!stub.items) {
        const pageResponse = await get(stub['@id']);
        expect(pageResponse.status, stub['@id']).toBe(200);
        page = (await pageResponse.json()) as RegistrationPage;
        expect(page).toMatchObject({ '@id': stub['@id'], count: stub.count, lower: stub.lower, upper: stub.upper });
        expect(page.parent).toBe(index['@id']);
      }
      const items = page.items!;
      expect(items.length, stub['@id']).toBe(page.count);
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(MAX_PAGE_VERSIONS);
      expect(page.lower).toBe(normalized(items[0]!.catalogEntry.version));
      expect(page.upper).toBe(normalized(items.at(-1)!.catalogEntry.version));
      versions.push(...items.map((item) => item.catalogEntry.version));
    }
    for (let i = 1; i < versions.length; i++) {
      expect(compareVersions(parseVersion(versions[i - 1]!)!, parseVersion(versions[i]!)!), hive).toBeLessThan(0);
    }
    expect(versions, hive).toEqual(shown.map((row) => row.version));
  }
}
