/**
 * `npx edgeget deprecate|undeprecate|vulnerability` against a real `wrangler dev` feed: what the
 * commands print, and what clients then read from registration and VulnerabilityInfo.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeget } from '../client/harness/cli';
import { type Feed, startFeed } from '../../devkit/feed.mjs';
import { pushSeedPackage } from '../../devkit/gallerySeed.mjs';

let feed: Feed;
const folders: string[] = [];
beforeAll(async () => {
  feed = await startFeed({ apiKey: 'advisories-test-key' });
  const versions = {
    'Contoso.Old': ['1.0.0', '1.1.0', '2.0.0'],
    'Contoso.Lib': ['1.0.0', '1.5.0'],
    'Contoso.New': ['2.0.0'],
  };
  for (const [id, list] of Object.entries(versions)) {
    for (const version of list) await pushSeedPackage(feed, { id, version });
  }
});
afterAll(async () => {
  await feed?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const cli = (...args: string[]) => edgeget([...args, '--url', feed.origin, '--admin-key', feed.apiKey]);
const addAdvisory = (id: string, range: string, severity: string, url: string) =>
  cli('vulnerability', 'add', id, range, '--severity', severity, '--advisory', url);

interface Leaf {
  catalogEntry: { version: string; deprecation?: unknown };
}
/** version → catalogEntry.deprecation, from the SemVer 2 gzip hive (fetch undoes the gzip). */
async function deprecations(id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${feed.origin}/v3/registration-gz-semver2/${id.toLowerCase()}/index.json`);
  expect(response.status).toBe(200);
  const index = (await response.json()) as { items: { items: Leaf[] }[] };
  const leaves = index.items.flatMap((page) => page.items);
  return Object.fromEntries(leaves.map((leaf) => [leaf.catalogEntry.version, leaf.catalogEntry.deprecation ?? null]));
}

type Entry = { url: string; severity: number; versions: string };
/** Every VulnerabilityInfo page merged, as NuGetAudit reads them. */
async function vulnerabilityData(): Promise<Record<string, Entry[]>> {
  const index = (await (await fetch(`${feed.origin}/v3/vulnerabilities/index.json`)).json()) as { '@id': string }[];
  expect(index.length).toBeGreaterThan(0);
  const merged: Record<string, Entry[]> = {};
  for (const page of index) {
    const body = (await (await fetch(page['@id'])).json()) as Record<string, Entry[]>;
    for (const [id, entries] of Object.entries(body)) merged[id] = [...(merged[id] ?? []), ...entries];
  }
  return merged;
}

async function listed(): Promise<unknown[]> {
  const result = await cli('vulnerability', 'list', '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** OSV documents laid out as a GitHub Advisory Database checkout: advisories/github-reviewed/YYYY/MM/GHSA-…/GHSA-….json. */
function advisoryFolder(documents: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'edgeget-osv-'));
  folders.push(root);
  for (const [path, document] of Object.entries(documents)) {
    const file = join(root, 'advisories', 'github-reviewed', path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
  }
  return root;
}

const osv = (ghsa: string, name: string, fixed: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.4.0',
  id: ghsa,
  modified: '2024-05-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'NuGet', name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
  database_specific: { severity: 'MODERATE' },
  ...extra,
});
const at = (ghsa: string, month = '2024/05') => `${month}/${ghsa}/${ghsa}.json`;

describe('edgeget deprecate / undeprecate', () => {
  it('deprecates a range with reasons, a message and an alternative, which registration then shows', async () => {
    const reasons = ['--reason', 'legacy', '--reason', 'Critical-Bugs,other'];
    const args = ['deprecate', 'Contoso.Old', '[1.0.0, 2.0.0)', ...reasons, '--message', 'Use Contoso.New.'];
    const first = await cli(...args, '--alternate', 'Contoso.New@[2.0.0, )');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Deprecated Contoso.Old 1.0.0, 1.1.0.');
    const wanted = {
      reasons: ['Legacy', 'CriticalBugs', 'Other'],
      message: 'Use Contoso.New.',
      alternatePackage: { id: 'Contoso.New', range: '[2.0.0, )' },
    };
    expect(await deprecations('Contoso.Old')).toEqual({ '1.0.0': wanted, '1.1.0': wanted, '2.0.0': null });

    const again = await cli(...args, '--alternate', 'Contoso.New@[2.0.0, )');
    expect(again.stdout).not.toContain('Deprecated');
    expect(again.stdout).toContain('Already deprecated so: 1.0.0, 1.1.0');
  });

  it('undeprecates exactly the version named', async () => {
    const result = await cli('undeprecate', 'Contoso.Old', '1.0.0');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Undeprecated Contoso.Old 1.0.0.');
    const after = await deprecations('Contoso.Old');
    expect(after['1.0.0']).toBeNull();
    expect(after['1.1.0']).toMatchObject({ reasons: ['Legacy', 'CriticalBugs', 'Other'] });
  });

  it('refuses unknown reasons before calling the feed, and ids the feed does not have', async () => {
    const badReason = await cli('deprecate', 'Contoso.Old', '1.1.0', '--reason', 'obsolete');
    expect(badReason.code).toBe(1);
    expect(badReason.stderr).toContain("unknown deprecation reason 'obsolete': use legacy, critical-bugs or other");
    const noReason = await cli('deprecate', 'Contoso.Old', '1.1.0');
    expect(noReason.stderr).toContain("required option '--reason <reason>' not specified");
    const unknown = await cli('deprecate', 'No.Such.Package', '1.0.0', '--reason', 'other');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/answered 404: Package No\.Such\.Package is not on this feed/);
  });
});

describe('edgeget vulnerability', () => {
  const url = 'https://example.com/advisories/LIB-1';

  it('adds, lists and removes an advisory, as VulnerabilityInfo shows it', async () => {
    const added = await addAdvisory('Contoso.Lib', '[1.0.0, 1.5.0)', 'High', url);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`Added Contoso.Lib [1.0.0, 1.5.0) (high) ${url}`);
    expect((await vulnerabilityData())['contoso.lib']).toEqual([{ url, severity: 2, versions: '[1.0.0, 1.5.0)' }]);

    const table = await cli('vulnerability', 'list');
    expect(table.stdout).toMatch(/^ID\s+VERSIONS\s+SEVERITY\s+SOURCE\s+CHANGED\s+ADVISORY$/m);
    expect(table.stdout).toMatch(
      /^contoso\.lib\s+\[1\.0\.0, 1\.5\.0\)\s+high\s+by hand\s+\d{4}-\d\d-\d\d\s+https:\/\/example\.com\/advisories\/LIB-1$/m,
    );
    expect(await listed()).toMatchObject([{ id: 'contoso.lib', url, versions: '[1.0.0, 1.5.0)', severity: 'high' }]);

    const removed = await cli('vulnerability', 'remove', 'Contoso.Lib', '--advisory', url);
    expect(removed.stdout).toContain(`Removed ${url} from Contoso.Lib.`);
    expect((await vulnerabilityData())['contoso.lib']).toBeUndefined();
    expect((await cli('vulnerability', 'list', '--id', 'Contoso.Lib')).stdout).toContain(
      'Contoso.Lib has no advisories.',
    );
    const again = await cli('vulnerability', 'remove', 'Contoso.Lib', '--advisory', url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('answered 404');
  });

  it('refuses unknown severities and URLs before calling the feed, and ids the feed does not have', async () => {
    const badSeverity = await addAdvisory('Contoso.Lib', '1.0.0', 'severe', url);
    expect(badSeverity.code).toBe(1);
    expect(badSeverity.stderr).toContain("unknown severity 'severe': use low, moderate, high, critical");
    const badUrl = await addAdvisory('Contoso.Lib', '1.0.0', 'low', 'LIB-1');
    expect(badUrl.stderr).toContain('--advisory LIB-1 is not an http(s) URL');
    const unknown = await addAdvisory('No.Such.Package', '1.0.0', 'low', url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/answered 404: Package No\.Such\.Package is not on this feed/);
  });

  it('imports an advisory database folder: dry run first, skips and withdrawals, unchanged on re-import', async () => {
    const withdrawnUrl = 'https://github.com/advisories/GHSA-wwww-wwww-wwww';
    const seeded = await addAdvisory('Contoso.Old', '[1.0.0, 2.0.0)', 'low', withdrawnUrl);
    expect(seeded.code, seeded.stderr).toBe(0);
    const folder = advisoryFolder({
      [at('GHSA-aaaa-aaaa-aaaa')]: osv('GHSA-aaaa-aaaa-aaaa', 'Contoso.Lib', '1.5.0'),
      [at('GHSA-bbbb-bbbb-bbbb', '2024/06')]: osv('GHSA-bbbb-bbbb-bbbb', 'Not.On.Feed', '3.0.0'),
      [at('GHSA-wwww-wwww-wwww', '2023/01')]: osv('GHSA-wwww-wwww-wwww', 'Contoso.Old', '2.0.0', {
        withdrawn: '2024-01-01T00:00:00Z',
      }),
      [at('GHSA-nnnn-nnnn-nnnn')]: {
        ...osv('GHSA-nnnn-nnnn-nnnn', 'x', '1.0.0'),
        affected: [{ package: { ecosystem: 'npm', name: 'x' } }],
      },
    });
    const dry = await cli('vulnerability', 'import', folder, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      'Dry run, nothing changed: 3 documents: 1 added, 0 changed, 1 removed, 0 unchanged, 1 skipped.',
    );
    expect(dry.stderr).toContain('Not sent: 1 document naming no NuGet package.');
    expect(await listed()).toMatchObject([{ id: 'contoso.old', url: withdrawnUrl }]);

    const real = await cli('vulnerability', 'import', folder);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('3 documents: 1 added, 0 changed, 1 removed, 0 unchanged, 1 skipped.');
    const ghsaA = 'https://github.com/advisories/GHSA-aaaa-aaaa-aaaa';
    expect(real.stdout).toContain(`added    Contoso.Lib (, 1.5.0) ${ghsaA}`);
    expect(real.stdout).toContain(`removed  Contoso.Old ${withdrawnUrl}`);
    expect(real.stdout).toContain('skipped  GHSA-bbbb-bbbb-bbbb Not.On.Feed: not on this feed');
    const data = await vulnerabilityData();
    expect(data['contoso.lib']).toEqual([{ url: ghsaA, severity: 1, versions: '(, 1.5.0)' }]);
    expect(data['contoso.old']).toBeUndefined();

    const rerun = await cli('vulnerability', 'import', folder, '--json');
    const report = JSON.parse(rerun.stdout);
    expect(report).toMatchObject({ dryRun: false, added: [], changed: [], removed: [] });
    expect(report.unchanged).toMatchObject([{ advisory: 'GHSA-aaaa-aaaa-aaaa', id: 'Contoso.Lib', url: ghsaA }]);
    expect(report.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual(['not on this feed', 'withdrawn']);
  });

  it('changes nothing when a file is not JSON, or when a later batch holds a document the feed refuses', async () => {
    const before = await listed();
    expect(before.length).toBeGreaterThan(0);
    const broken = advisoryFolder({
      [at('GHSA-cccc-cccc-cccc')]: osv('GHSA-cccc-cccc-cccc', 'Contoso.New', '3.0.0'),
      '2024/07/bad/bad.json': '{ "id": ',
    });
    const notJson = await cli('vulnerability', 'import', broken);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/bad[/\\]bad\.json is not JSON \(.*\): fix or remove it; nothing was sent/);

    // 50 good documents fill the first request; the refused one is in the second, which the dry run reaches first.
    const many: Record<string, unknown> = {};
    for (let i = 10; i < 60; i++) many[at(`GHSA-good-${i}`)] = osv(`GHSA-good-${i}`, 'Contoso.New', '3.0.0');
    many['2025/01/GHSA-zzzz/GHSA-zzzz.json'] = {
      id: 7,
      affected: [{ package: { ecosystem: 'NuGet', name: 'Contoso.New' } }],
    };
    const refused = await cli('vulnerability', 'import', advisoryFolder(many));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the feed refused the import, nothing was changed: .*answered 400: .*GHSA-zzzz\.json is not a usable OSV advisory/,
    );
    expect(await listed()).toEqual(before);
  });
});

it('has help for every new command', async () => {
  const subcommands = ['add', 'remove', 'list', 'import'].map((c) => ['vulnerability', c]);
  const commands = [['deprecate'], ['undeprecate'], ['vulnerability'], ...subcommands];
  for (const args of commands) {
    const help = await edgeget([...args, '--help']);
    expect(help.code, args.join(' ')).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: edgeget ${args.join(' ')} `, 'm'));
  }
});
