/**
 * Registration pages in D1 (src/store/registrationPages.ts): where a new version lands, how a full
 * page splits, that no other version changes page, and that a push into an id writes the same
 * number of KV documents however many versions the id already has.
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rebuildDocuments } from '../src/documents/rebuild';
import type { PackageVersionRecord } from '../src/nuget/types';
import { insertVersion, insertVersionStatements, updateListing } from '../src/store/packages';
import { fetchCounted } from './support/countedFetch';
import { buildNupkg, FEED, pushRequest } from './support/nupkg';
import { versionRecord } from './support/records';

async function insert(records: PackageVersionRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += 50) {
    await env.DB.batch(records.slice(start, start + 50).flatMap((record) => insertVersionStatements(env.DB, record)));
  }
}

/** page → its versions in NuGet order, pages in the order of their first version. */
async function layout(lowerId: string): Promise<Map<number, string[]>> {
  const { results } = await env.DB.prepare(
    'SELECT lower_version, registration_page FROM package_versions WHERE lower_id = ? ORDER BY sort_key',
  )
    .bind(lowerId)
    .all<{ lower_version: string; registration_page: number }>();
  const pages = new Map<number, string[]>();
  for (const row of results)
    pages.set(row.registration_page, [...(pages.get(row.registration_page) ?? []), row.lower_version]);
  return pages;
}

async function stamps(lowerId: string): Promise<Map<number, [number, number]>> {
  const { results } = await env.DB.prepare(
    'SELECT page, semver1_generation AS s1, semver2_generation AS s2 FROM registration_pages WHERE lower_id = ?',
  )
    .bind(lowerId)
    .all<{ page: number; s1: number; s2: number }>();
  return new Map(results.map((row) => [row.page, [row.s1, row.s2]]));
}

const patch = (id: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => versionRecord(id, `1.0.${from + i}`));

describe('registration pages', () => {
  it('leave full pages behind when versions are appended', async () => {
    await insert(patch('Append', 0, 200));
    const sizes = [...(await layout('append')).entries()].map(([page, versions]) => [page, versions.length]);
    expect(sizes).toEqual([
      [0, 64],
      [1, 64],
      [2, 64],
      [3, 8],
    ]);
  });

  it('split a full page in half when a version lands inside it, moving no other page', async () => {
    await insert(patch('Split', 10, 128));
    const before = await layout('split');
    await insert([versionRecord('Split', '0.1.0'), versionRecord('Split', '1.0.100.5')]);
    const after = await layout('split');
    // The lowest version joined page 0, which split: its upper half is page 2.
    expect(after.get(0)).toEqual(['0.1.0', ...before.get(0)!.slice(0, 32)]);
    expect(after.get(2)).toEqual(before.get(0)!.slice(32));
    // 1.0.100.5 joined page 1 (below it: 1.0.100), which split into pages 1 and 3.
    const second = [...before.get(1)!];
    second.splice(second.indexOf('1.0.100') + 1, 0, '1.0.100.5');
    expect([...after.get(1)!, ...after.get(3)!]).toEqual(second);
    expect(after.get(1)).toHaveLength(33);
    expect([...after.keys()]).toEqual([0, 2, 1, 3]);
  });

  it('stamp only the level a change shows in, and both levels on a split', async () => {
    await insert(patch('Stamp', 0, 10));
    const generation = async () =>
      (await env.DB.prepare("SELECT generation FROM package_registrations WHERE lower_id = 'stamp'").first<{
        generation: number;
      }>())!.generation;
    const start = await generation();
    await insert([versionRecord('Stamp', '1.0.5-beta.1')]); // SemVer 2: the SemVer 1 page does not change
    expect((await stamps('stamp')).get(0)).toEqual([start, start + 1]);
    await updateListing(env.DB, versionRecord('Stamp', '1.0.3', { listed: false }), new Date());
    expect((await stamps('stamp')).get(0)).toEqual([start + 2, start + 2]);
    await insert(patch('Stamp', 20, 54)); // the 54th is the 65th version of page 0: it starts page 1
    const pages = await stamps('stamp');
    const now = await generation();
    expect(pages.get(1)).toEqual([now, now]);
    // The full page it left is unchanged, so not stamped: its document is not rewritten.
    expect(pages.get(0)).toEqual([now - 1, now - 1]);
    expect((await layout('stamp')).get(0)).toHaveLength(64);
  });

  it('costs a push the same KV writes with 150 or 700 versions before it', async () => {
    const writes: number[] = [];
    for (const [id, count] of [
      ['Writes.Small', 150],
      ['Writes.Large', 700],
    ] as const) {
      await insert(patch(id, 0, count));
      await rebuildDocuments(env, id.toLowerCase());
      // Appended, inserted below the highest (into the last page, which has room), SemVer 2.
      for (const version of ['2.0.0', `1.0.${count - 5}.1`, '2.1.0-beta.1']) {
        const { response, calls } = await fetchCounted(pushRequest(buildNupkg({ id, version })));
        expect(response.status).toBe(201);
        writes.push(calls.filter((call) => call === 'PAGES.put' || call === 'PAGES.delete').length);
      }
    }
    // The flat list, both indexes and the SemVer 1 and 2 page holding a SemVer 1 version; the SemVer 2
    // prerelease leaves the SemVer 1 page alone.
    expect(writes).toEqual([5, 5, 4, 5, 5, 4]);
  });
});

describe('an id crossing the inlining limit', () => {
  it('writes the page documents its index starts to link to (the 128th version of a level)', async () => {
    const page = (hive: string) => exports.default.fetch(new Request(`${FEED}/v3/${hive}/crossing.lib/page/0.json`));
    for (let minor = 0; minor < 128; minor++) {
      const generation = await insertVersion(env.DB, versionRecord('Crossing.Lib', `1.${minor}.0`), null, new Date());
      await rebuildDocuments(env, 'crossing.lib', { since: generation });
    }
    const index = (await (
      await exports.default.fetch(new Request(`${FEED}/v3/registration-gz-semver2/crossing.lib/index.json`))
    ).json()) as { items: { items?: unknown }[] };
    expect(index.items.every((stub) => stub.items === undefined)).toBe(true);
    for (const hive of ['registration', 'registration-gz', 'registration-gz-semver2']) {
      expect((await page(hive)).status, hive).toBe(200);
    }
  });
});
