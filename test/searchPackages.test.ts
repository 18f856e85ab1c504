/**
 * search_packages, the per-id summary search reads (src/store/searchIndex.ts): it holds for an id
 * with thousands of versions, and the repair pass converges it after it drifts.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { repairFeed } from '../src/documents/repair';
import { insertVersionStatements } from '../src/store/packages';
import { versionRecord as v } from './support/records';
import { search, seedSearchFeed } from './support/searchSeed';

beforeAll(seedSearchFeed);

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
