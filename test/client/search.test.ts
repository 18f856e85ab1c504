/** `dotnet package search` against the feed: paging, prerelease, exact match and JSON output vs the feed's own answers. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRun, hasDotnet } from './harness/dotnet';
import { searchFeed } from './harness/feedHttp';
import { push, useClientFeed, type ClientContext } from './harness/suite';
import { SOURCE_NAME } from './harness/workspace';

const TERM = 'EdgeGet.Search';
// id → versions pushed; Delta has only a prerelease.
const PUSHED: Record<string, string[]> = {
  'EdgeGet.Search.Alpha': ['1.0.0', '1.1.0-beta.1'],
  'EdgeGet.Search.Beta': ['2.0.0'],
  'EdgeGet.Search.Gamma': ['0.1.0'],
  'EdgeGet.Search.Delta': ['1.0.0-preview.1'],
  'EdgeGet.Search.Epsilon': ['3.0.0'],
};
const STABLE_IDS = ['EdgeGet.Search.Alpha', 'EdgeGet.Search.Beta', 'EdgeGet.Search.Epsilon', 'EdgeGet.Search.Gamma'];

interface CliPackage {
  id: string;
  latestVersion?: string;
  version?: string;
  totalDownloads?: number;
  description?: string;
}
interface CliSearch {
  version: number;
  problems: unknown[];
  searchResult: { sourceName: string; packages: CliPackage[] }[];
}

async function cliSearch(ctx: ClientContext, args: string[]): Promise<CliPackage[]> {
  const result = await ctx.ws.run(['package', 'search', ...args, '--source', SOURCE_NAME, '--format', 'json']);
  expect(result.code, describeRun(result)).toBe(0);
  const parsed = JSON.parse(result.stdout) as CliSearch;
  expect(parsed.problems, describeRun(result)).toEqual([]);
  expect(parsed.searchResult.map((s) => s.sourceName)).toEqual([SOURCE_NAME]);
  return parsed.searchResult[0]!.packages;
}

const ids = (packages: CliPackage[]) => packages.map((p) => p.id);

describe.skipIf(!hasDotnet)('dotnet package search', () => {
  const ctx = useClientFeed('search');

  it('pushes the search fixtures', async () => {
    const built = 'Fixture.Build';
    await ctx.packer.pack({ id: built, version: '0.0.1' });
    let count = 0;
    for (const [id, versions] of Object.entries(PUSHED)) {
      for (const version of versions) {
        const description = id.endsWith('Gamma') ? 'Only this one mentions quokka.' : `Search fixture ${id}.`;
        await ctx.packer.variant(built, { id, version, description, tags: ['edgeget', 'fixture'] });
        count++;
      }
    }
    const result = await push(ctx, join(ctx.packer.out, `${TERM}.*.nupkg`));
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.output.match(/Your package was pushed\./g)).toHaveLength(count);
    expect((await searchFeed(ctx.feed, { q: TERM, prerelease: 'true' })).totalHits).toBe(5);
  });

  it('lists the latest stable version of each id without --prerelease, matching the feed totals', async () => {
    const packages = await cliSearch(ctx, [TERM]);
    expect(ids(packages).sort()).toEqual(STABLE_IDS);
    expect(packages.find((p) => p.id === 'EdgeGet.Search.Alpha')?.latestVersion).toBe('1.0.0');
    const feed = await searchFeed(ctx.feed, { q: TERM });
    expect(feed.totalHits).toBe(STABLE_IDS.length);
    expect(ids(packages)).toEqual(feed.data.map((d) => d.id));
  });

  it('includes prerelease-only ids and prerelease latest versions with --prerelease', async () => {
    const packages = await cliSearch(ctx, [TERM, '--prerelease']);
    expect(ids(packages).sort()).toEqual(Object.keys(PUSHED).sort());
    expect(packages.find((p) => p.id === 'EdgeGet.Search.Alpha')?.latestVersion).toBe('1.1.0-beta.1');
    expect(packages.find((p) => p.id === 'EdgeGet.Search.Delta')?.latestVersion).toBe('1.0.0-preview.1');
  });

  it('pages with --skip/--take exactly like the feed', async () => {
    const all = ids(await cliSearch(ctx, [TERM]));
    const pages: string[][] = [];
    for (const skip of [0, 2, 4]) {
      const page = ids(await cliSearch(ctx, [TERM, '--skip', String(skip), '--take', '2']));
      const feed = await searchFeed(ctx.feed, { q: TERM, skip: String(skip), take: '2' });
      expect(page).toEqual(feed.data.map((d) => d.id));
      expect(feed.totalHits).toBe(STABLE_IDS.length);
      pages.push(page);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 0]);
    expect(pages.flat()).toEqual(all);
  });

  it('lists the listed versions of one id with --exact-match', async () => {
    const stable = await cliSearch(ctx, ['EdgeGet.Search.Alpha', '--exact-match']);
    expect(stable.map((p) => [p.id, p.version])).toEqual([['EdgeGet.Search.Alpha', '1.0.0']]);
    const all = await cliSearch(ctx, ['edgeget.search.alpha', '--exact-match', '--prerelease']);
    expect(all.map((p) => p.version)).toEqual(['1.0.0', '1.1.0-beta.1']);
    expect(await cliSearch(ctx, ['EdgeGet.Search', '--exact-match'])).toEqual([]);
  });

  it('matches description words and reports descriptions with --verbosity detailed', async () => {
    const packages = await cliSearch(ctx, ['quokka', '--verbosity', 'detailed']);
    expect(packages.map((p) => [p.id, p.description])).toEqual([
      ['EdgeGet.Search.Gamma', 'Only this one mentions quokka.'],
    ]);
  });
});
